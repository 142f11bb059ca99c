package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.certify.CertificationResult;
import dev.pixelguard.certify.CertifiedGate;
import dev.pixelguard.certify.Certifier;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import dev.pixelguard.serve.ModelServer;
import dev.pixelguard.serve.ServedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pixelguard certify} and {@code --defence}: the command's figures are the library's, bad settings are
 * refused in one line before any work, the defended classifier and the certified gate work on every command, and a
 * served certified gate answers as the local one, image for image.
 */
class CertifyCommandTest {
  @TempDir Path dir;

  @Test
  void theCommandReportsWhatTheLibraryProves() throws Exception {
    Path results = dir.resolve("cert.json");
    Cli r = Cli.run("certify", "--limit", "12", "--gate", "--results", results.toString(), "--quiet");
    assertEquals(0, r.code(), r.toString());
    CertificationResult lib;
    try (Classifier cnn = Models.open("builtin:fashion-cnn")) {
      lib = Certifier.of(cnn).certify(Datasets.samples().limit(12));
    }
    int n = lib.summary().certified();
    assertTrue(n > 0, "nothing certified: the comparison would show nothing");
    assertTrue(r.out().contains("proven robust (" + n + " of 12)"), r.out());
    CertifiedGate.Bound b = CertifiedGate.bound(lib);
    assertTrue(r.out().contains((b.acceptedCorrect() + b.acceptedWrong()) + " of 12 accepted"), r.out());
    JsonNode json = new ObjectMapper().readTree(results.toFile());
    assertEquals("certification", json.path("kind").asText());
    assertEquals(n, json.path("summary").path("certified").asInt());
    assertEquals("lattice:6", json.path("settings").path("masks").asText());
    for (int i = 0; i < 12; i++) {
      assertEquals(lib.certificates().get(i).certified(), json.path("images").get(i).path("certified").asBoolean());
    }
  }

  @Test
  void badSettingsAreRefusedInOneLineBeforeAnyWork() {
    Path results = dir.resolve("never.json");
    String[][] bad = {
        {"certify", "--masks", "blocks:3/4", "--threat", "patch:2", "--results", results.toString()},
        {"certify", "--masks", "lattice:0", "--results", results.toString()},
        {"certify", "--fill", "purple", "--results", results.toString()},
        {"certify", "--gate", "--early-exit", "--results", results.toString()},
        {"certify", "--defence", "masking", "--results", results.toString()},
        {"predict", "--defence", "maskin", "--index", "1"},
        {"predict", "--defence", "masking:lattice:6,fil=grey", "--index", "1"},
        {"verify", "--defence", "masking", "-n", "1"},
        {"calibrate", "--defence", "masking"}};
    for (String[] args : bad) {
      Cli r = Cli.run(args);
      assertEquals(2, r.code(), String.join(" ", args) + "\n" + r);
      assertEquals(1, r.err().strip().lines().count(), r.toString());
      assertFalse(Files.exists(results), String.join(" ", args));
    }
    assertTrue(Cli.run(bad[0]).err().contains("do not cover the threat patch:2"));
  }

  @Test
  void theDefendedSystemsAreModelsForEveryCommand() {
    Cli p = Cli.run("predict", "--defence", "masking", "--index", "12");
    assertEquals(0, p.code(), p.toString());
    assertTrue(p.out().contains("Sneaker"), p.out());
    Cli e = Cli.run("evaluate", "--defence", "masking-gate", "--limit", "2", "--budget", "8", "--quiet");
    assertEquals(0, e.code(), e.toString());
    assertTrue(e.out().contains("certified gate (lattice:6, biharmonic)"), e.out());
    assertTrue(e.out().contains("harm (the system accepts the image and answers a wrong class)"), e.out());
  }

  @Test
  void aServedCertifiedGateAnswersAsTheLocalOne() {
    ModelRequest request = ModelRequest.builder("builtin:fashion-cnn").defence("masking-gate:lattice:4").build();
    Dataset images = Datasets.samples().limit(24);
    List<Image> list = images.images().stream().map(LabeledImage::image).toList();
    try (Classifier local = Models.open(request);
        ModelServer server = ModelServer.builder(ServedModel.of(Models.open(request))).name("certified").port(0)
            .build().start();
        Classifier remote = Models.open(server.url())) {
      ModelInfo info = remote.info();
      assertEquals(ModelInfo.ABSTAIN, info.className(info.abstainClass()), info.classNames().toString());
      Scores want = local.classify(ImageBatch.of(list));
      Scores got = remote.classify(ImageBatch.of(list));
      boolean abstained = false;
      for (int i = 0; i < list.size(); i++) {
        assertEquals(want.top(i), got.top(i), images.get(i).id());
        assertArrayEquals(want.probabilities(i), got.probabilities(i), images.get(i).id());
        abstained |= want.top(i) == info.abstainClass();
      }
      assertTrue(abstained, "no image abstained: the comparison would not show the abstain class travels");
      Path localRun = dir.resolve("local.json");
      Path servedRun = dir.resolve("served.json");
      String[] attack = {"--limit", "3", "--budget", "6", "--quiet"};
      Cli l = Cli.run(RemoteModelTest.concat(new String[] {"evaluate", "--defence", "masking-gate:lattice:4",
          "--results", localRun.toString()}, attack));
      Cli s = Cli.run(RemoteModelTest.concat(new String[] {"evaluate", "-m", server.url(),
          "--results", servedRun.toString()}, attack));
      assertEquals(0, l.code(), l.toString());
      assertEquals(0, s.code(), s.toString());
      EvaluationResult a = ResultsJson.read(localRun);
      EvaluationResult b = ResultsJson.read(servedRun);
      assertEquals(a.attempts().size(), b.attempts().size());
      for (int i = 0; i < a.attempts().size(); i++) {
        AttackResult x = a.attempts().get(i);
        AttackResult y = b.attempts().get(i);
        assertEquals(x.success(), y.success(), x.imageId());
        assertEquals(x.queries(), y.queries(), x.imageId());
        assertArrayEquals(x.adversarialValues(), y.adversarialValues(), x.imageId());
      }
      server.model().close();
    }
  }
}
