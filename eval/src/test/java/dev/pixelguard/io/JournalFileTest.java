package dev.pixelguard.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal's parts, and outcomes that are not attempts, across a resume. */
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
}
