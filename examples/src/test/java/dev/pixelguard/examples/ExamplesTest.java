package dev.pixelguard.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.image.Image;
import dev.pixelguard.data.ImageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example run as a program would be, in a JVM of its own with the module's class path, on bundled models and
 * the shared fixtures; each prints one line, which is checked, and writes what it says it writes.
 */
class ExamplesTest {
  private static final Path SHARED = Path.of(System.getProperty("pixelguard.shared", "../../shared"));

  @TempDir Path dir;

  @Test
  void attackOneImage() throws Exception {
    // Bundled image 0 (an ankle boot) flips to a sandal with one pixel on the bundled model (its results in README).
    Path out = dir.resolve("adv.png");
    String line = run(AttackOneImage.class, "builtin:fashion-cnn", "0", out.toString());
    assertTrue(line.startsWith("fashion-mnist-test#0: Ankle boot -> Sandal after "), line);
    Image adversarial = ImageFiles.read(out);
    assertEquals(1, adversarial.differingPixels(dev.pixelguard.data.Datasets.samples().get(0).image()));
  }

  @Test
  void evaluateWithReport() throws Exception {
    String line = run(EvaluateWithReport.class, SHARED.resolve("models/cifar10-resnet20.onnx").toString(),
        SHARED.resolve("data/cifar10/test_batch_subset.bin").toString(), "6", dir.resolve("report").toString());
    assertTrue(line.matches("robust accuracy [0-9.]+% of [0-9]+ attacked images; report .*index.html"), line);
    assertTrue(Files.size(dir.resolve("report/index.html")) > 10_000);
  }

  @Test
  void fitAndEvaluateGate() throws Exception {
    Path gate = dir.resolve("gate.json");
    String line = run(FitAndEvaluateGate.class, "builtin:fashion-cnn", "builtin:fashion-cnn-pgd", gate.toString());
    assertTrue(line.matches("undefended fooled [0-9]+ of [0-9]+; the gate accepted [0-9]+ and was harmed on [0-9]+"),
        line);
    assertTrue(Files.readString(gate).contains("\"fusion\""));
  }

  @Test
  void serveAndQuery() throws Exception {
    String line = run(ServeAndQuery.class, "builtin:fashion-cnn");
    assertEquals("local says Ankle boot, served says Ankle boot", line);
  }

  /** Runs an example's main in a fresh JVM; returns its one line of output, after checking that it exited 0. */
  private String run(Class<?> example, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path")), example.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), example.getSimpleName() + " finished");
    assertEquals(0, p.exitValue(), out + Files.readString(dir.resolve("err.txt")));
    List<String> lines = out.lines().toList();
    assertEquals(1, lines.size(), out);
    return lines.get(0);
  }
}
