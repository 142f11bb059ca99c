package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.io.AuditJson;
import dev.pixelguard.audit.AuditResult;
import dev.pixelguard.audit.ThreatOutcome;
import dev.pixelguard.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit} journals every image's outcome, per threat model and system: an audit of ResNet-20 and a gate on
 * it, killed with SIGKILL in its second threat model and resumed, writes the audit.json of an uninterrupted run,
 * image for image; other settings and a forgotten --resume are refused in one line.
 */
class AuditResumeTest {
  @TempDir Path dir;

  @Test
  void anAuditKilledAndResumedEqualsAnUninterruptedOne() throws Exception {
    String model = Fixtures.resnetOnnx().toString();
    String data = Fixtures.cifarBatch().toString();
    Path gate = dir.resolve("gate.json");
    Cli fit = Cli.run("gate", "fit", "-m", model, "--view", "impulse:0.3", "--fusion", "product", "--coverage", "0.9",
        "-d", data, "--fit-on", "466-615", "--report-on", "0-49", "--out", gate.toString());
    assertEquals(0, fit.code(), fit.toString());
    // L-inf is the cheap threat model (many images fall in a few queries); one pixel spends its budget on most
    List<String> run = List.of("audit", "--gate", gate.toString(), "-d", data, "--limit", "6", "--threats",
        "linf,one-pixel", "--max-queries", "60", "--seed", "3", "--quiet");
    Path full = dir.resolve("full");
    Cli whole = Killed.cli(run, "--out", full.toString());
    assertEquals(0, whole.code(), whole.toString());
    assertFalse(Files.exists(full.resolve("audit.json.journal")), "the journal goes once the card is written");
    AuditResult a = AuditJson.read(full.resolve("audit.json"));
    int linf = a.rows().get(0).plain().attacked() + a.rows().get(0).defended().attacked();

    Path part = dir.resolve("part");
    Path journal = part.resolve("audit.json.journal");
    // killed after the header, L-inf's images (plain and gated) and 2 of one pixel's
    Killed.after(run, journal, 1 + linf + 2, "--out", part.toString(), "--concurrency", "1");
    int killed = Killed.lines(journal);
    assertFalse(Files.exists(part.resolve("audit.json")), "no card from a killed run");
    assertTrue(Files.readString(journal, StandardCharsets.UTF_8).contains("\"part\":\"one pixel / plain\""));

    Cli forgot = Killed.cli(run, "--out", part.toString());
    assertEquals(ExitCode.BAD_INPUT, forgot.code(), forgot.toString());
    assertTrue(forgot.err().contains("a journal of an interrupted run exists"), forgot.err());
    Cli rest = Killed.cli(run, "--out", part.toString(), "--resume", "--batch", "97", "--concurrency", "2");
    assertEquals(0, rest.code(), rest.toString());
    assertTrue(rest.out().contains("resumed:  " + (killed - 1) + " image outcomes"), rest.out());
    assertFalse(Files.exists(journal), "the journal goes once the card is written");
    assertSameOutcomes(a, AuditJson.read(part.resolve("audit.json")));
  }

  @Test
  void resumingWithOtherSettingsIsRefused() throws Exception {
    List<String> base = List.of("audit", "-m", Fixtures.resnetOnnx().toString(), "-d", Fixtures.cifarBatch().toString(),
        "--quiet", "--concurrency", "1");
    List<String> settings = List.of("--threats", "one-pixel", "--max-queries", "300", "--seed", "3");
    Path out = dir.resolve("card");
    Path journal = out.resolve("audit.json.journal");
    Killed.after(with(base, settings, "--limit", "12"), journal, 2, "--out", out.toString());
    Files.writeString(journal, "{\"id\":\"torn", StandardOpenOption.APPEND); // killed in the middle of a write
    String[][] changes = {{"--seed", "4"}, {"--max-queries", "1000"}, {"--threats", "one-pixel,linf"}};
    String[] refused = {"threats.one pixel.seed was 3, now 4", "threats.one pixel.budget was 300, now 1000",
        "threats.L-inf 8/255 was not set, now {"};
    for (int c = 0; c < refused.length; c++) {
      Cli other = Killed.cli(with(base, settings, changes[c]), "--out", out.toString(), "--resume", "--limit", "12");
      assertEquals(ExitCode.BAD_INPUT, other.code(), other.toString());
      assertTrue(other.err().contains("is of a run with other settings (" + refused[c]), other.err());
      assertEquals(1, other.err().strip().lines().count(), other.err());
    }
    // --limit is not a setting an image's outcome depends on: resuming on fewer images finishes the run
    Cli fewer = Killed.cli(with(base, settings), "--out", out.toString(), "--resume", "--limit", "2");
    assertEquals(0, fewer.code(), fewer.toString());
    assertEquals(2, AuditJson.read(out.resolve("audit.json")).images());
  }

  /** {@code base}, then {@code settings} with the options named in {@code changed} set to the values given there. */
  private static List<String> with(List<String> base, List<String> settings, String... changed) {
    List<String> args = new ArrayList<>(base);
    for (int i = 0; i < settings.size(); i += 2) {
      args.add(settings.get(i));
      String v = settings.get(i + 1);
      for (int c = 0; c < changed.length; c += 2) {
        v = changed[c].equals(settings.get(i)) ? changed[c + 1] : v;
      }
      args.add(v);
    }
    for (int c = 0; c < changed.length; c += 2) {
      if (!settings.contains(changed[c])) {
        args.add(changed[c]);
        args.add(changed[c + 1]);
      }
    }
    return args;
  }

  /** Every row's outcomes, image for image, and so every count and query total. */
  static void assertSameOutcomes(AuditResult a, AuditResult b) {
    assertEquals(a.rows().size(), b.rows().size());
    for (int i = 0; i < a.rows().size(); i++) {
      AuditResult.Row x = a.rows().get(i);
      AuditResult.Row y = b.rows().get(i);
      assertEquals(x.threat(), y.threat());
      assertEquals(x.settings(), y.settings());
      same(x.plain(), y.plain());
      same(x.defended(), y.defended());
    }
  }

  private static void same(ThreatOutcome x, ThreatOutcome y) {
    assertEquals(x.images(), x.perImage().size(), "every image's outcome is in audit.json");
    assertEquals(x.perImage(), y.perImage());
    assertEquals(List.of(x.cleanCorrect(), x.attacked(), x.fooled(), x.correct(), x.abstained(), x.wrong()),
        List.of(y.cleanCorrect(), y.attacked(), y.fooled(), y.correct(), y.abstained(), y.wrong()));
    assertEquals(x.queries(), y.queries(), "queries in all, final checks of resumed attempts too");
  }
}
