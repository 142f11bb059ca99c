package dev.pixelguard.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.data.Split;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certifier on the real ResNet-20, checked against a naive computation of every masked prediction. */
class CertifierResNetTest {
  private static OnnxClassifier model;
  private static Dataset images;

  @BeforeAll
  static void load() {
    model = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT);
    images = Fixtures.cifar().range(new Split.Range(0, 5));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void verdictsEqualANaiveCheckOfEveryOneAndTwoMaskPrediction() {
    Certifier c = Certifier.of(model).masks("lattice:6").fill("biharmonic");
    CertificationResult r = c.certify(images);
    MaskSet set = c.maskSet();
    Masker masker = new Masker(set, Fills.biharmonic(), 3);
    int certified = 0;
    for (int i = 0; i < images.size(); i++) {
      LabeledImage li = images.get(i);
      float[] image = new float[3072];
      li.image().writeUnit(image, 0);
      float[] all = new float[666 * 3072];
      int n = 0;
      for (int a = 0; a < 36; a++) {
        for (int b = a; b < 36; b++) {
          masker.render(image, 0, a, b, all, 3072 * n++);
        }
      }
      Scores s = model.classify(ImageBatch.wrap(666, 3, 32, 32, all));
      boolean allCorrect = true;
      int wrong = 0;
      for (int j = 0; j < 666; j++) {
        int second = s.topExcept(j, s.top(j));
        boolean good = s.top(j) == li.label() && s.logit(j, s.top(j)) - s.logit(j, second) > c.guard();
        allCorrect &= good;
        wrong += good ? 0 : 1;
      }
      Certificate cert = r.certificates().get(i);
      assertEquals(allCorrect, cert.certified(), "image " + i);
      assertEquals(wrong, cert.disagreeingMasks().size() + cert.disagreeingPairs().size(), "image " + i);
      assertEquals(666, cert.passes());
      assertTrue(cert.complete());
      certified += cert.certified() ? 1 : 0;
    }
    assertTrue(certified >= 3 && certified < 6, "certified " + certified); // both verdicts are exercised
    // the defended predictions are the defended classifier's (not closed: that would close the shared model)
    DoubleMasking d = c.defended();
    Scores ds = d.classify(ImageBatch.of(images.images().stream().map(LabeledImage::image).toList()));
    for (int i = 0; i < images.size(); i++) {
      assertEquals(r.certificates().get(i).defendedPrediction(), ds.top(i), "image " + i);
    }
  }

  @Test
  void earlyExitGivesTheSameVerdictsForLessAndAnImagesOutcomeDependsOnItAlone() {
    Certifier c = Certifier.of(model).masks("lattice:4").fill("harmonic");
    CertificationResult full = c.certify(images);
    CertificationResult early = c.earlyExit(true).batchSize(97).certify(images);
    long fullPasses = 0;
    long earlyPasses = 0;
    for (int i = 0; i < images.size(); i++) {
      Certificate f = full.certificates().get(i);
      Certificate e = early.certificates().get(i);
      assertEquals(f.certified(), e.certified(), "image " + i);
      assertEquals(f.defendedPrediction(), e.defendedPrediction(), "image " + i);
      fullPasses += f.passes();
      earlyPasses += e.passes();
      // alone, with another batch size: the very same certificate
      Dataset one = new Dataset("one", List.of(images.get(i)), images.classNames());
      Certificate alone = c.batchSize(31).certify(one).certificates().get(0);
      assertEquals(f, new Certificate(i, alone.id(), alone.label(), alone.modelPrediction(), alone.defendedPrediction(),
          alone.certified(), alone.provingMasks(), alone.uncoveredRegion(), alone.disagreeingMasks(),
          alone.disagreeingPairs(), alone.complete(), alone.passes(), alone.gate()), "image " + i);
    }
    assertTrue(earlyPasses < fullPasses, earlyPasses + " vs " + fullPasses);
    assertEquals(full.summary().certified(), early.summary().certified());
    assertEquals(136L * images.size(), full.summary().maskedPasses());
  }

  @Test
  void resultsAreWrittenAsJson(@TempDir Path dir) throws Exception {
    CertificationResult r = Certifier.of(model).masks("lattice:3").certify(images.limit(2));
    Path file = dir.resolve("certify.json");
    CertificationJson.write(r, file);
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
    assertEquals("certification", tree.get("kind").asText());
    assertEquals("lattice:3", tree.get("settings").get("masks").asText());
    assertEquals("biharmonic", tree.get("settings").get("fill").asText());
    assertEquals(2, tree.get("images").size());
    assertEquals(r.certificates().get(1).certified(), tree.get("images").get(1).get("certified").asBoolean());
    assertEquals(45, tree.get("images").get(0).get("passes").asInt());
    assertTrue(tree.has("gate"));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList()); // no temporary file left behind
    }
  }
}
