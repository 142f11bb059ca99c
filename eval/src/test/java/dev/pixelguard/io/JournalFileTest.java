package dev.pixelguard.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal's parts, and outcomes that are not attempts, across a resume; a damaged line refused; a file made only
 * by the first line recorded, and kept when a run took only some of what it holds.
 */
class JournalFileTest {
  @TempDir Path dir;

  private static ObjectNode settings(int budget) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "audit");
    s.putObject("threats").putObject("one pixel").put("budget", String.valueOf(budget));
    return s;
  }

  private static ObjectNode outcome(int after) {
    return JsonNodeFactory.instance.objectNode().put("after", after);
  }

  @Test
  void eachPartFindsItsOwnOutcomesAfterAResume() throws Exception {
    Path f = dir.resolve("audit.json.journal");
    try (JournalFile j = JournalFile.open(f, settings(100), false)) {
      j.part("one pixel / plain").recordOutcome("img#0", "g", outcome(1));
      j.part("one pixel / defended").recordOutcome("img#0", "g", outcome(2));
      j.recordOutcome("img#1", "g", outcome(3)); // no part
    }
    Files.writeString(f, "{\"id\":\"img#2\",\"go", StandardOpenOption.APPEND); // a torn last line
    try (JournalFile j = JournalFile.open(f, settings(100), true)) {
      assertEquals(3, j.resumed());
      assertEquals(1, j.part("one pixel / plain").finishedOutcome("img#0", "g").path("after").asInt());
      assertEquals(2, j.part("one pixel / defended").finishedOutcome("img#0", "g").path("after").asInt());
      assertNull(j.finishedOutcome("img#0", "g"), "the parts' outcomes are theirs only");
      assertNull(j.part("one pixel / plain").finishedOutcome("img#1", "g"));
      assertEquals(3, j.finishedOutcome("img#1", "g").path("after").asInt());
      j.part("one pixel / plain").recordOutcome("img#2", "g", outcome(4));
    }
    try (JournalFile j = JournalFile.open(f, settings(100), true)) {
      assertEquals(4, j.resumed(), "the torn line was cut off and the new one appended after the others");
      assertEquals(4, j.part("one pixel / plain").finishedOutcome("img#2", "g").path("after").asInt());
    }
    InputException other = assertThrows(InputException.class, () -> JournalFile.open(f, settings(200), true));
    assertTrue(other.getMessage().contains("other settings (threats.one pixel.budget was 100, now 200)"),
        other.getMessage());
    InputException forgot = assertThrows(InputException.class, () -> JournalFile.open(f, settings(100), false));
    assertTrue(forgot.getMessage().contains("a journal of an interrupted run exists"), forgot.getMessage());
  }

  /** A journal with outcomes of images img#0 to img#(n-1), closed. */
  private Path journalOf(int n) {
    Path f = dir.resolve("r.json.journal");
    try (JournalFile j = JournalFile.open(f, settings(100), false)) {
      for (int i = 0; i < n; i++) {
        j.recordOutcome("img#" + i, "g", outcome(i));
      }
    }
    return f;
  }

  @Test
  void aDamagedLineInTheMiddleIsRefusedAndNothingIsCutOff() throws Exception {
    Path f = journalOf(7);
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.set(3, lines.get(3).substring(0, 20)); // a line cut short, its line end kept: not a torn last write
    Files.write(f, lines);
    byte[] before = Files.readAllBytes(f);
    InputException e = assertThrows(InputException.class, () -> JournalFile.open(f, settings(100), true));
    assertTrue(e.getMessage().startsWith("line 4 of the journal " + f + " is damaged (not JSON"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    lines.set(3, "{\"note\": \"edited\"}"); // JSON, but no journal line
    Files.write(f, lines);
    e = assertThrows(InputException.class, () -> JournalFile.open(f, settings(100), true));
    assertTrue(e.getMessage().startsWith("line 4 of the journal " + f + " is damaged (not an attempt"), e.getMessage());
    Files.write(f, before);
    assertThrows(InputException.class, () -> JournalFile.open(f, settings(100), true));
    assertArrayEquals(before, Files.readAllBytes(f), "a refused journal is left as it was, every line after the "
        + "damaged one included");
  }

  @Test
  void theFileIsMadeByTheFirstLineAndKeptWhenARunTookOnlySomeOfIt() throws Exception {
    Path f = dir.resolve("r.json.journal");
    try (JournalFile j = JournalFile.open(f, settings(100), false)) {
      assertFalse(Files.exists(f), "no journal before anything is recorded");
    }
    assertFalse(Files.exists(f), "a run that recorded nothing leaves no journal");
    try (JournalFile j = JournalFile.open(f, settings(100), false)) {
      j.start();
      assertEquals(1, Files.readAllLines(f).size(), "start() makes the file with its settings line");
    }
    Files.delete(f);
    journalOf(7);
    JournalFile some = JournalFile.open(f, settings(100), true);
    for (int i = 0; i < 3; i++) {
      assertEquals(i, some.finishedOutcome("img#" + i, "g").path("after").asInt());
    }
    assertEquals(List.of(7, 3), List.of(some.resumed(), some.used()));
    assertFalse(some.finish(), "it holds outcomes of 4 images the run did not include");
    assertEquals(1 + 7, Files.readAllLines(f).size(), "kept whole");
    JournalFile all = JournalFile.open(f, settings(100), true);
    for (int i = 0; i < 7; i++) {
      all.finishedOutcome("img#" + i, "g");
    }
    all.recordOutcome("img#7", "g", outcome(7));
    assertTrue(all.finish(), "every outcome it held is in this run's results");
    assertFalse(Files.exists(f));
  }
}
