package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.image.Image;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import java.util.List;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --method square} from the command line, on ResNet-20 and the fixture images. */
class SquareCommandTest {
  @TempDir Path dir;

  @Test
  void evaluateFlipsEveryAttackedImageWithin8Over255AndSavesExactImages() {
    Path results = dir.resolve("square.json");
    Cli r = Cli.run("evaluate", "--method", "square", "-m", Fixtures.resnetOnnx().toString(), "-d",
        Fixtures.cifarBatch().toString(), "--limit", "6", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("square, L-inf eps 0.0314 (8/255), at most 5,000 queries per image"), r.out());
    EvaluationResult e = ResultsJson.read(results);
    assertTrue(e.summary().attacked() >= 5, e.summary().toString());
    assertEquals(e.summary().attacked(), e.summary().successes(), r.out());
    assertTrue(e.attempts().stream().allMatch(a -> a.exactIn8Bits() && a.perturbation().linf() <= 8 / 255f + 1e-6));
  }

  @Test
  void attackWritesTheAdversarialAsAPngThatStillFools() throws Exception {
    Path out = dir.resolve("adv.png");
    Cli r = Cli.run("attack", "--method", "square", "--eps", "0.02", "-m", Fixtures.resnetOnnx().toString(), "-d",
        Fixtures.cifarBatch().toString(), "--index", "3", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("by a perturbation of L-inf 0.0196"), r.out()); // floor(0.02 * 255) = 5
    Image saved = ImageFiles.read(out);
    Image original = Fixtures.cifar().get(3).image();
    float[] a = new float[3 * 32 * 32];
    float[] b = new float[a.length];
    saved.writeUnit(a, 0);
    original.writeUnit(b, 0);
    for (int i = 0; i < a.length; i++) {
      assertTrue(Math.abs(Math.round(a[i] * 255) - Math.round(b[i] * 255)) <= 5, "value " + i);
    }
    try (Classifier m = Models.open(Fixtures.resnetOnnx().toString())) {
      int clean = m.classify(ImageBatch.of(List.of(original))).top(0);
      assertTrue(m.classify(ImageBatch.of(List.of(saved))).top(0) != clean, "the saved PNG still fools the model");
    }
  }

  @Test
  void optionsOfOtherMethodsAreRefusedInOneLine() {
    Cli r = Cli.run("evaluate", "--method", "square", "--pixels", "3", "--limit", "1");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("--pixels applies to --method guided or su or sparse-rs, not square"), r.err());
    Cli e = Cli.run("evaluate", "--method", "square", "--eps", "0.001", "--limit", "1");
    assertEquals(ExitCode.BAD_INPUT, e.code(), e.toString());
    assertTrue(e.err().contains("--eps must be at least 1/255"), e.err());
  }
}
