package dev.pixelguard.audit;

import dev.pixelguard.io.AuditJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting where images end, and the audit file's round trip, on hand-made outcomes. */
class AuditResultTest {
  @TempDir Path dir;

  @Test
  void imagesEndCorrectAbstainedOrWrongByHand() {
    // classes 0..2, abstain = 3; six images
    int[] labels = {0, 1, 2, 0, 1, 2};
    int[] clean = {0, 1, 2, 3, 2, 0}; // four correct, one abstained, one wrong (the last two are wrong or abstained)
    int[] after = {0, 3, 1, 1, 1, 1}; // image 0 stays, 1 abstains, 2 is harmed; 3..5 keep their clean state
    boolean[] won = {false, false, true, true, true, true};
    ThreatOutcome t = ThreatOutcome.ofClasses(new String[] {"a", "b", "c", "d", "e", "f"}, labels, clean, after, 3,
        won, 120, 1.5);
    assertEquals(new ThreatOutcome.ImageEnd("b", 1, 1, 3, false, 20), t.perImage().get(1));
    assertEquals(new ThreatOutcome.ImageEnd("c", 2, 2, 1, true, 20), t.perImage().get(2));
    assertEquals(new ThreatOutcome.ImageEnd("f", 2, 0, 0, false, 20), t.perImage().get(5)); // not attacked
    assertEquals(6, t.images());
    assertEquals(3, t.cleanCorrect());
    assertEquals(1, t.cleanAbstained());
    assertEquals(3, t.attacked());
    assertEquals(1, t.fooled()); // only the attacked images count
    assertEquals(1, t.correct());
    assertEquals(2, t.abstained()); // image 1 after the attack, image 3 before it
    assertEquals(3, t.wrong()); // image 2 harmed, images 4 and 5 wrong from the start
    assertEquals(1 / 6.0, t.accuracy(), 1e-12);
    assertEquals(0.5, t.harm(), 1e-12);
    assertEquals(3 / 6.0, t.cleanAccuracy(), 1e-12);
  }

  @Test
  void inconsistentCountsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ThreatOutcome(null, 5, 3, 0, 3, 1, 2, 0, 2, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ThreatOutcome(null, 4, 3, 0, 3, 4, 2, 0, 2, 0, 0));
  }

  @Test
  void theAuditFileRoundTrips() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("method", "square");
    settings.put("budget", 5000L);
    settings.put("eps", 0.5);
    settings.put("labelOnly", false);
    ThreatOutcome p = ThreatOutcome.ofClasses(new String[] {"x#0", "x#1"}, new int[] {3, 4}, new int[] {3, 1},
        new int[] {5, 1}, -1, new boolean[] {true, false}, 4, 0.5);
    ThreatOutcome d = new ThreatOutcome(null, 2, 1, 1, 1, 1, 0, 1, 1, 5678, 7.25); // counts alone, as files before
    AuditResult r = new AuditResult("m.onnx", "gate over [m.onnx]", "data.bin", 2, List.of(
        new AuditResult.Row("L2 0.5", "square, L2", settings, p, d),
        new AuditResult.Row("L-inf", "pgd", Map.of(), p, ThreatOutcome.notApplicable("no gradients"))), 9.5);
    Path f = dir.resolve("audit.json");
    AuditJson.write(r, f);
    AuditResult back = AuditJson.read(f);
    assertEquals(r.model(), back.model());
    assertEquals(r.defended(), back.defended());
    assertEquals(r.rows().get(0).plain(), back.rows().get(0).plain());
    assertEquals(2, back.rows().get(0).plain().perImage().size());
    assertEquals(r.rows().get(0).defended(), back.rows().get(0).defended());
    assertEquals("no gradients", back.rows().get(1).defended().notApplicable());
    assertEquals(5000, ((Number) back.rows().get(0).settings().get("budget")).longValue());
    assertEquals(false, back.rows().get(0).settings().get("labelOnly"));
  }

  @Test
  void otherFilesAreRefusedInOneLine() throws Exception {
    Path f = Files.writeString(dir.resolve("x.json"), "{\"tool\":\"pixelguard\",\"kind\":\"evaluation\"}");
    InputException e = assertThrows(InputException.class, () -> AuditJson.read(f));
    assertTrue(e.getMessage().endsWith("is not a pixelguard audit file"), e.getMessage());
  }

  @Test
  void unknownThreatModelsAndBadCapsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ThreatModels.standard(List.of("linf", "nope"), 1, 0));
    assertTrue(e.getMessage().contains("'nope' is unknown"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ThreatModels.standard(1, -1));
    assertEquals(List.of("one pixel", "L2 0.5"),
        ThreatModels.standard(List.of("one-pixel", "l2"), 1, 0).stream().map(ThreatModel::name).toList());
  }
}
