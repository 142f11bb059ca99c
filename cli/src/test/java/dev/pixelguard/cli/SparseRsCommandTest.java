package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --method sparse-rs} from the command line, on ResNet-20 and the fixture images. */
class SparseRsCommandTest {
  @TempDir Path dir;

  @Test
  void evaluateChangesExactlyKPixelsToCorners() {
    Path results = dir.resolve("sparse.json");
    Cli r = Cli.run("evaluate", "--method", "sparse-rs", "-k", "10", "--budget", "2000", "-m",
        Fixtures.resnetOnnx().toString(), "-d", Fixtures.cifarBatch().toString(), "--limit", "4", "--results",
        results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("sparse-rs, 10 pixels, at most 2,000 queries per image"), r.out());
    EvaluationResult e = ResultsJson.read(results);
    assertTrue(e.summary().successes() >= 2, e.summary().toString());
    assertTrue(e.attempts().stream().filter(a -> a.success())
        .allMatch(a -> a.exactIn8Bits() && a.perturbation().pixels() == 10), r.out());
  }

  @Test
  void attackWithAPatchSavesAPngThatStillFools() throws Exception {
    Path out = dir.resolve("patch.png");
    Cli r = Cli.run("attack", "--method", "sparse-rs", "--patch", "4", "-m", Fixtures.resnetOnnx().toString(), "-d",
        Fixtures.cifarBatch().toString(), "--index", "3", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    Image saved = ImageFiles.read(out);
    Image original = Fixtures.cifar().get(3).image();
    int top = 32;
    int left = 32;
    int bottom = -1;
    int right = -1;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          if (saved.get(c, y, x) != original.get(c, y, x)) {
            top = Math.min(top, y);
            left = Math.min(left, x);
            bottom = Math.max(bottom, y);
            right = Math.max(right, x);
          }
        }
      }
    }
    assertTrue(bottom - top < 4 && right - left < 4, "the change fits a 4x4 square: " + r.out());
    try (Classifier m = Models.open(Fixtures.resnetOnnx().toString())) {
      int clean = m.classify(ImageBatch.of(List.of(original))).top(0);
      assertTrue(m.classify(ImageBatch.of(List.of(saved))).top(0) != clean, "the saved PNG still fools the model");
    }
  }

  @Test
  void badOptionsAreRefusedInOneLine() {
    Cli big = Cli.run("evaluate", "--method", "sparse-rs", "--patch", "40", "-m", Fixtures.resnetOnnx().toString(),
        "-d", Fixtures.cifarBatch().toString(), "--limit", "1");
    assertEquals(ExitCode.BAD_INPUT, big.code(), big.toString());
    assertTrue(big.err().contains("--patch 40: a patch of side 40 does not fit the image's 32x32"), big.err());
    Cli both = Cli.run("evaluate", "--method", "sparse-rs", "--patch", "4", "-k", "3", "--limit", "1");
    assertEquals(ExitCode.BAD_INPUT, both.code(), both.toString());
    assertTrue(both.err().contains("--pixels, --patch and --frame choose different threat models"), both.err());
    Cli foreign = Cli.run("evaluate", "--method", "guided", "--patch", "4", "--limit", "1");
    assertEquals(ExitCode.BAD_INPUT, foreign.code(), foreign.toString());
    assertTrue(foreign.err().contains("--patch applies to --method sparse-rs, not guided"), foreign.err());
    Cli alpha = Cli.run("evaluate", "--method", "sparse-rs", "--alpha-init", "2", "--limit", "1");
    assertEquals(ExitCode.BAD_INPUT, alpha.code(), alpha.toString());
    assertTrue(alpha.err().contains("--alpha-init must be in (0, 1], was 2.0"), alpha.err());
  }
}
