package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.defence.Fallback;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.image.Image;
import dev.pixelguard.io.GateFile;
import dev.pixelguard.model.AdmitsColours;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ColourRanges;
import dev.pixelguard.model.Models;
import dev.pixelguard.serve.ModelServer;
import dev.pixelguard.serve.ServedModel;
import dev.pixelguard.testing.Fixtures;
import dev.pixelguard.transform.Impulse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: the gate of README (ResNet-20 and ResNet-32, each also through impulse:0.3, product fusion, fitted for
 * 90% coverage on images 466-931) was harmed by an independent adaptive attack whose pixel does not stand out,
 * so the impulse filter lets it through. pixelguard's adaptive attack now searches what each view lets through.
 */
class AdaptiveGateTest {
  @TempDir Path dir;

  /** README's gate as `gate fit` wrote it on this machine (temperatures and threshold from its gate.json). */
  static GateSpec readmeGate() {
    return new GateSpec(List.of(new GateSpec.Member(Fixtures.resnetOnnx().toString(), 2.362269582943881),
        new GateSpec.Member(Fixtures.resnet32Onnx().toString(), 2.3886623898350643)), List.of("impulse:0.3"),
        new Gate.Settings(Gate.Fusion.PRODUCT, false, 0.9971437694206566, Double.POSITIVE_INFINITY, Fallback.ABSTAIN),
        "abstain", 1, Map.of()).withClasses(Fixtures.cifar().classNames());
  }

  /** Fixture image 57 (a horse) alone, as a CIFAR-10 batch of one record. */
  private Path image57() throws Exception {
    byte[] all = Files.readAllBytes(Fixtures.cifarBatch());
    return Files.write(dir.resolve("horse57.bin"), Arrays.copyOfRange(all, 57 * 3073, 58 * 3073));
  }

  @Test
  void theIndependentAttacksHarmIsReproducedAndTheAdaptiveSearchFindsOne() throws Exception {
    Path gate = dir.resolve("gate.json");
    GateFile.write(readmeGate(), gate);
    // The independent attack's pixel: (18, 16) from (190,148,125) to (114,73,51); the gate accepts cat
    Image horse = Fixtures.cifar().get(57).image();
    Image changed = horse.withPixels(List.of(new dev.pixelguard.image.PixelChange(18, 16, horse.colour(18, 16),
        new int[] {114, 73, 51})));
    Path png = dir.resolve("changed.png");
    dev.pixelguard.data.ImageFiles.writePng(changed, png);
    Cli predicted = Cli.run("predict", "--gate", gate.toString(), "--image", png.toString());
    assertEquals(0, predicted.code(), predicted.toString());
    assertTrue(predicted.out().contains("accept cat (0.99"), predicted.out());
    // The adaptive attack of evaluate --gate, default budget, finds a harm on the image
    Cli r = Cli.run("evaluate", "--gate", gate.toString(), "--dataset", image57().toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("gate, adaptive attack +1 +1 +100\\.0%")), r.out());
    assertTrue(r.out().contains("harmed #0 horse57.bin#0: 'horse'"), r.out());
  }

  @Test
  void aGateAndTheSameGateServedSayWhatTheyLetThrough() throws Exception {
    Image horse = Fixtures.cifar().get(57).image();
    ColourRanges box = new Impulse(0.3).admitted(horse);
    try (Gate gate = readmeGate().open(Fixtures.cifar().classNames());
        ModelServer server = ModelServer.builder(ServedModel.of(gate)).name("guarded").port(0).build().start();
        Classifier remote = Models.open("http://127.0.0.1:" + server.port() + "/v2/models/guarded")) {
      ColourRanges local = gate.asClassifier().unwrap(AdmitsColours.class).orElseThrow().admitted(horse);
      ColourRanges served = remote.unwrap(AdmitsColours.class).orElseThrow().admitted(horse);
      for (int p = 0; p < 32 * 32; p++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(box.lo(p, c), local.lo(p, c));
          assertEquals(box.hi(p, c), local.hi(p, c));
          assertEquals(box.lo(p, c), served.lo(p, c));
          assertEquals(box.hi(p, c), served.hi(p, c));
        }
      }
      // The independent attack's colour lies inside the box at (18, 16), near its low corner
      int at = 16 * 32 + 18;
      int[] harmful = {114, 73, 51};
      for (int c = 0; c < 3; c++) {
        assertTrue(harmful[c] >= box.lo(at, c) && harmful[c] <= box.hi(at, c), "channel " + c);
        assertTrue(harmful[c] - box.lo(at, c) <= 3, "near the box's low corner in channel " + c);
      }
    }
  }

  @Test
  void aGateWithPlainViewsOnlyRestrictsNothing() {
    GateSpec plain = new GateSpec(readmeGate().models(), List.of(), readmeGate().settings(), "abstain", 1, Map.of());
    try (Gate gate = plain.open(Fixtures.cifar().classNames())) {
      assertTrue(gate.asClassifier().unwrap(AdmitsColours.class).orElseThrow()
          .admitted(Fixtures.cifar().get(0).image()).isFull());
    }
  }
}
