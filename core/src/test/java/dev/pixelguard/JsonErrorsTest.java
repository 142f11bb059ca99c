package dev.pixelguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** JSON mistakes people make, said in their words with the place, never with the parser's option names. */
class JsonErrorsTest {
  private static String why(String json) {
    try {
      new ObjectMapper().readTree(json);
      throw new AssertionError("parsed: " + json);
    } catch (IOException e) {
      String d = JsonErrors.describe(e);
      assertFalse(d.matches("(?s).*(Feature|ALLOW_|enable `|Source:|code \\d).*"), d);
      return d;
    }
  }

  @Test
  void commonMistakes() {
    assertEquals("line 1, column 9: a comma before '}' (JSON allows none after the last item)", why("{\"a\": 1,}"));
    assertEquals("line 1, column 2: single quotes (JSON names and strings take double quotes)", why("{'a': 1}"));
    assertEquals("line 1, column 2: a name that is not in double quotes", why("{a: 1}"));
    assertEquals("line 1, column 10: 'NaN' is not a JSON number (JSON has no NaN or Infinity)", why("{\"a\": NaN}"));
    assertEquals("line 2, column 1: a comment, which JSON does not have", why("{\n// c\n\"a\": 1}"));
    assertEquals("line 1, column 8: the text ends before the JSON does (a '}', ']' or '\"' is missing)",
        why("{\"a\": 1"));
    assertEquals("line 1, column 9: a tab, line end or other control character inside a string (write it as \\t or "
        + "\\n)", why("{\"a\": \"x\ty\"}"));
    assertEquals("line 1, column 8: a number with a leading zero (write 1, not 01)", why("{\"a\": 01}"));
    assertEquals("line 1, column 8: a number with a plus sign (write 1, not +1)", why("{\"a\": +1}"));
    assertEquals("line 1, column 7: 'True' is not a JSON value (strings take double quotes; true, false and null are "
        + "lower case)", why("{\"a\": True}"));
    assertEquals("line 1, column 4: ',' where a value should be", why("[1,,2]"));
  }
}
