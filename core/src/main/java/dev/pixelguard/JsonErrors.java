package dev.pixelguard;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a JSON file a user wrote (a model descriptor, a gate file, a sticker's settings) cannot be read, in the
 * user's words and with the place: "line 3, column 9: a comma before '}' (JSON allows none after the last
 * item)". Jackson's own messages name its parser options ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to
 * allow", "Feature 'ALLOW_COMMENTS' not enabled for parser"), which a user cannot set, and put the place on a
 * second line that one-line errors drop.
 */
public final class JsonErrors {
  private static final Pattern CHAR = Pattern.compile("Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");
  private static final Pattern TOKEN = Pattern.compile("(?:Unrecognized|Non-standard) token '(.*?)'");

  private JsonErrors() {}

  /** What is wrong with the JSON that {@code e} was thrown for, and where; or the reason of another I/O failure. */
  public static String describe(IOException e) {
    if (!(e instanceof JsonProcessingException j)) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : InputException.firstLine(e.getMessage());
    }
    JsonLocation at = j.getLocation();
    String where = at == null || at.getLineNr() < 1 ? "" : String.format(Locale.ROOT, "line %d, column %d: ",
        at.getLineNr(), at.getColumnNr());
    return where + reason(j.getOriginalMessage() == null ? "" : j.getOriginalMessage());
  }

  private static String reason(String m) {
    Matcher c = CHAR.matcher(m);
    String ch = c.find() ? c.group(1) : null;
    Matcher t = TOKEN.matcher(m);
    String token = t.find() ? t.group(1) : null;
    if (m.contains("ALLOW_COMMENTS") || m.contains("comment")) {
      return "a comment, which JSON does not have";
    }
    if (m.contains("NON_NUMERIC_NUMBERS")) {
      return "'" + token + "' is not a JSON number (JSON has no NaN or Infinity)";
    }
    if (m.contains("PLUS_SIGN")) {
      return "a number with a plus sign (write 1, not +1)";
    }
    if (m.contains("Leading zeroes")) {
      return "a number with a leading zero (write 1, not 01)";
    }
    if (m.contains("double-quote to start field name")) {
      return "}".equals(ch) ? "a comma before '}' (JSON allows none after the last item)"
          : "'".equals(ch) ? "single quotes (JSON names and strings take double quotes)"
          : "a name that is not in double quotes";
    }
    if (m.contains("end-of-input")) {
      return "the text ends before the JSON does (a '}', ']' or '\"' is missing)";
    }
    if (m.contains("CTRL-CHAR")) {
      return "a tab, line end or other control character inside a string (write it as \\t or \\n)";
    }
    if (token != null) {
      return "'" + token + "' is not a JSON value (strings take double quotes; true, false and null are lower case)";
    }
    if ("]".equals(ch) || "}".equals(ch)) {
      return "'" + ch + "' where a value should be (a comma too many, or a bracket that does not match)";
    }
    if (ch != null) {
      return "'" + ch + "' " + (m.contains("expected a valid value") ? "where a value should be"
          : "where it does not belong");
    }
    // anything else, without the names of parser options a user cannot set
    return m.replaceAll("\\s*\\(?[^()]*(Feature|enable `)[^()]*\\)?", "").strip();
  }
}
