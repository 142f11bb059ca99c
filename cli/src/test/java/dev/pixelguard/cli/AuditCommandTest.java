package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.patch.Conditions;
import dev.pixelguard.attack.patch.StickerEvaluation;
import dev.pixelguard.attack.patch.StickerFiles;
import dev.pixelguard.io.AuditJson;
import dev.pixelguard.audit.AuditResult;
import dev.pixelguard.audit.ThreatOutcome;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pixelguard audit}: the threat-model card of ResNet-20 and of a gate on it. */
class AuditCommandTest {
  @TempDir Path dir;

  @Test
  void cardOfResNet20AndItsGateAgreesWithEvaluateImageForImage() throws Exception {
    String model = Fixtures.resnetOnnx().toString();
    String data = Fixtures.cifarBatch().toString();
    Path gate = dir.resolve("gate.json");
    Cli.fitImpulseGate(gate);
    Path card = dir.resolve("card");
    Cli r = Cli.run("audit", "--gate", gate.toString(), "-d", data, "--limit", "10", "--threats", "linf,one-pixel",
        "--max-queries", "150", "--seed", "3", "--out", card.toString(), "--quiet");
    assertEquals(0, r.code(), r.toString());
    for (String f : List.of("card.html", "card.md", "card.svg", "audit.json")) {
      assertTrue(Files.size(card.resolve(f)) > 0, f);
    }
    AuditResult a = AuditJson.read(card.resolve("audit.json"));
    assertEquals(List.of("L-inf 8/255", "one pixel"), a.rows().stream().map(AuditResult.Row::threat).toList());
    assertEquals(10, a.images());

    // the same attack through evaluate, plain and gated: the card's counts are evaluate's
    Path plain = dir.resolve("plain.json");
    Path gated = dir.resolve("gated.json");
    assertEquals(0, Cli.run("evaluate", "--method", "square", "--budget", "150", "--seed", "3", "-m", model, "-d", data,
        "--limit", "10", "--quiet", "--results", plain.toString()).code());
    assertEquals(0, Cli.run("evaluate", "--gate", gate.toString(), "--method", "square", "--budget", "150", "--seed",
        "3", "-d", data, "--limit", "10", "--quiet", "--results", gated.toString()).code());
    Summary p = ResultsJson.read(plain).summary();
    List<EvaluationResult> g = ResultsJson.readAll(gated);
    Summary adaptive = g.get(g.size() - 1).summary();
    ThreatOutcome lp = a.rows().get(0).plain();
    ThreatOutcome ld = a.rows().get(0).defended();
    assertEquals(p.attacked(), lp.attacked());
    assertEquals(p.successes(), lp.fooled());
    assertEquals(p.cleanCorrect() - p.successes(), lp.correct());
    assertEquals(adaptive.attacked(), ld.attacked());
    assertEquals(adaptive.successes(), ld.fooled());
    assertTrue(lp.fooled() > 0, "L-inf 8/255 flips some of ResNet-20's images even at 150 queries");
    // every image ends in exactly one place, and only the gate abstains
    assertEquals(0, lp.abstained());
    assertEquals(ld.images(), ld.correct() + ld.abstained() + ld.wrong());
    String md = Files.readString(card.resolve("card.md"));
    assertTrue(md.contains("| L-inf 8/255 | " + pct(lp.accuracy()) + " | " + pct(lp.harm())), md);
    assertTrue(r.out().contains("harmed"), r.out());
    assertTrue(Files.readString(card.resolve("card.html")).contains("data-threat=\"one pixel\""));
  }

  @Test
  void aTrainedStickerIsARowCountedFromTheModelsOwnAnswers() throws Exception {
    Path png = dir.resolve("s.png");
    Cli t = Cli.run("sticker", "train", "-m", Fixtures.resnetTorchScript().toString(), "-d",
        Fixtures.cifarBatch().toString(), "--fit-on", "466-931", "--report-on", "0-465", "--target", "cat", "--size",
        "6", "--steps", "3", "--batch", "4", "--out", png.toString());
    assertEquals(0, t.code(), t.toString());
    Path card = dir.resolve("card");
    Cli r = Cli.run("audit", "-m", Fixtures.resnetOnnx().toString(), "-d", Fixtures.cifarBatch().toString(),
        "--limit", "12", "--threats", "l2", "--max-queries", "20", "--sticker", png.toString(), "--seed", "4",
        "--out", card.toString(), "--quiet");
    assertEquals(0, r.code(), r.toString());
    AuditResult a = AuditJson.read(card.resolve("audit.json"));
    assertEquals(List.of("L2 0.5", "universal 6x6 sticker"), a.rows().stream().map(AuditResult.Row::threat).toList());
    ThreatOutcome s = a.rows().get(1).plain();
    // the same views, scored here: images answered correctly with the sticker on
    Dataset first = Fixtures.cifar().limit(12);
    List<LabeledImage> images = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      images.add(first.get(i));
    }
    try (Classifier m = Models.open(Fixtures.resnetOnnx().toString())) {
      StickerEvaluation.Result e = StickerEvaluation.evaluate(m, images, StickerFiles.read(png),
          Conditions.realistic(), 3, 4, 1);
      long correct = e.outcomes().stream().filter(o -> o.cleanPredicted() == o.label()
          && o.stickerPredicted() == o.label()).count();
      long cleanCorrect = e.outcomes().stream().filter(o -> o.cleanPredicted() == o.label()).count();
      assertEquals(correct, s.correct());
      assertEquals(cleanCorrect, s.cleanCorrect());
    }
    assertEquals(12, s.images());
    assertTrue(Files.readString(card.resolve("card.md")).contains("universal 6x6 sticker"));
    // on the object: the same sticker kept inside a mask, counted as an evaluation with that mask counts it
    Path mask = dir.resolve("middle.png");
    byte[] px = new byte[32 * 32];
    for (int y = 8; y < 24; y++) {
      for (int x = 8; x < 24; x++) {
        px[y * 32 + x] = (byte) 255;
      }
    }
    ImageFiles.writePng(new Image(1, 32, 32, px), mask);
    Path masked = dir.resolve("card-masked");
    Cli rm = Cli.run("audit", "-m", Fixtures.resnetOnnx().toString(), "-d", Fixtures.cifarBatch().toString(),
        "--limit", "12", "--threats", "l2", "--max-queries", "20", "--sticker", png.toString(), "--sticker-mask",
        mask.toString(), "--seed", "4", "--out", masked.toString(), "--quiet");
    assertEquals(0, rm.code(), rm.toString());
    ThreatOutcome sm = AuditJson.read(masked.resolve("audit.json")).rows().get(1).plain();
    try (Classifier m = Models.open(Fixtures.resnetOnnx().toString())) {
      StickerEvaluation.Result e = StickerEvaluation.evaluate(m, images, StickerFiles.read(png),
          Conditions.realistic().within(Conditions.Region.of(ImageFiles.read(mask), "middle.png")), 3, 4, 1);
      assertEquals(e.outcomes().stream().filter(o -> o.cleanPredicted() == o.label()
          && o.stickerPredicted() == o.label()).count(), sm.correct());
      assertEquals(e.outcomes().stream().filter(o -> o.cleanPredicted() == o.label()).count(), sm.cleanCorrect());
      // image by image: where each ends is what the model said of that image's masked view
      for (int k = 0; k < images.size(); k++) {
        StickerEvaluation.Outcome o = e.outcomes().get(k);
        ThreatOutcome.ImageEnd end = sm.perImage().get(k);
        assertEquals(o.id(), end.id());
        assertEquals(o.cleanPredicted() == o.label() ? o.stickerPredicted() : o.cleanPredicted(), end.end(), o.id());
        assertEquals(o.cleanPredicted() == o.label() && o.reached(), end.won(), o.id());
      }
    }
    assertTrue(Files.readString(masked.resolve("audit.json")).contains("inside middle.png (256 of 1024 pixels)"));
    Path small = dir.resolve("small.png");
    byte[] white = new byte[16 * 16];
    java.util.Arrays.fill(white, (byte) 255);
    ImageFiles.writePng(new Image(1, 16, 16, white), small);
    Cli wrong = Cli.run("audit", "-m", Fixtures.resnetOnnx().toString(), "-d", Fixtures.cifarBatch().toString(),
        "--limit", "2", "--sticker", png.toString(), "--sticker-mask", small.toString(), "--out",
        dir.resolve("y").toString());
    assertEquals(ExitCode.BAD_INPUT, wrong.code(), wrong.toString());
    assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
    assertTrue(wrong.err().contains("the allowed region is 16x16 but the images are 32x32"), wrong.err());
    assertFalse(Files.exists(dir.resolve("y")));
    Cli alone = Cli.run("audit", "--limit", "2", "--sticker-mask", mask.toString(), "--out", dir.resolve("y").toString());
    assertEquals(ExitCode.BAD_INPUT, alone.code(), alone.toString());
    assertTrue(alone.err().contains("give --sticker FILE.png too"), alone.err());
    Cli missing = Cli.run("audit", "--limit", "2", "--sticker", dir.resolve("none.png").toString(), "--out",
        dir.resolve("x").toString());
    assertEquals(ExitCode.BAD_INPUT, missing.code(), missing.toString());
    assertTrue(missing.err().contains("sticker not found"), missing.err());
  }

  @Test
  void badInputIsRefusedInOneLineBeforeAnyWork() throws Exception {
    Path out = dir.resolve("never");
    Cli r = Cli.run("audit", "--threats", "one-pixel,sticky", "--limit", "2", "--out", out.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("--threats: 'sticky' is unknown; known: one-pixel, pixels, patch, linf, l2, label-only"),
        r.err());
    assertFalse(Files.exists(out));
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Cli f = Cli.run("audit", "--limit", "2", "--out", file.toString());
    assertEquals(ExitCode.BAD_INPUT, f.code(), f.toString());
    assertTrue(f.err().contains("it is a file"), f.err());
    Cli q = Cli.run("audit", "--limit", "2", "--max-queries", "-5", "--out", out.toString());
    assertEquals(ExitCode.BAD_INPUT, q.code(), q.toString());
    assertTrue(q.err().contains("--max-queries must be positive"), q.err());
  }

  @Test
  void aStickerThatCannotBeUsedIsRefusedBeforeAnyThreatModelRuns() throws Exception {
    Path far = dir.resolve("far.png");
    StickerFiles.write(far, dev.pixelguard.attack.patch.Sticker.random(3, 6, 1), 1, java.util.Map.of("target", 42));
    Path grey = dir.resolve("grey.png");
    StickerFiles.write(grey, dev.pixelguard.attack.patch.Sticker.random(1, 6, 1), 1, java.util.Map.of("target", 3));
    for (Path png : List.of(far, grey)) {
      Path out = dir.resolve("card-" + png.getFileName());
      // every threat model, with small budgets so that a check made last still ends soon
      Cli r = Cli.run("audit", "-m", Fixtures.resnetOnnx().toString(), "-d", Fixtures.cifarBatch().toString(),
          "--limit", "2", "--max-queries", "50", "--sticker", png.toString(), "--out", out.toString());
      assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains(png == far ? "the sticker's target is class 42, which is not one of the model's 10 "
          + "classes (0 to 9)" : "the sticker has 1 channel(s), the model's images 3"), r.err());
      assertEquals("", r.out(), "nothing ran");
      assertFalse(Files.exists(out.resolve("audit.json.journal")), "no journal to block the corrected command");
      assertFalse(Files.exists(out.resolve("card.html")));
    }
  }

  private static String pct(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * v);
  }
}
