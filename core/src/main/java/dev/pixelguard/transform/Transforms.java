package dev.pixelguard.transform;

import dev.pixelguard.InputException;
import dev.pixelguard.transform.Transform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads transforms from text, as the command line and {@code gate.json} give them. Two forms, which can be
 * mixed in a comma-separated list (a {@link Chain}, applied left to right):
 * <ul>
 *   <li>short: {@code NAME:VALUE}, the transform's one main parameter: {@code crop:2}, {@code rescale:0.5}
 *       (or a random range {@code rescale:0.5..0.9}), {@code blur:0.6}, {@code jpeg:75}, {@code median:2},
 *       {@code impulse:0.3}, {@code bitdepth:5};
 *   <li>long: what {@link Transform#describe()} writes, {@code NAME(KEY=VALUE, ...)}: {@code median(size=2)},
 *       {@code rescale(min=0.5, max=0.9)}.
 * </ul>
 * So {@code parse(t.describe())} equals {@code t} for every transform here: results files can be read back
 * into the transform they were measured with. Names are case-insensitive; spaces around tokens are ignored.
 */
public final class Transforms {
  private Transforms() {}

  /** The transform names {@link #parse} knows, in the order the documentation lists them. */
  public static final List<String> NAMES = List.of("crop", "rescale", "blur", "jpeg", "median", "impulse", "bitdepth");

  /**
   * Parses one transform or a comma-separated chain of them.
   *
   * @throws InputException for an unknown name or a malformed or out-of-range value, in one line
   */
  public static Transform parse(String spec) {
    List<String> parts = splitTopLevel(spec);
    if (parts.size() == 1) {
      return parseOne(parts.get(0));
    }
    List<Transform> steps = new ArrayList<>();
    for (String p : parts) {
      steps.add(parseOne(p));
    }
    return new Chain(steps);
  }

  /** Throws {@link InputException} with {@code message} unless {@code ok}: the one-line parameter checks. */
  static void require(boolean ok, String message) {
    if (!ok) {
      throw new InputException(message);
    }
  }

  private static List<String> splitTopLevel(String spec) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < spec.length(); i++) {
      char ch = spec.charAt(i);
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        parts.add(spec.substring(start, i).trim());
        start = i + 1;
      }
    }
    parts.add(spec.substring(start).trim());
    return parts;
  }

  private static Transform parseOne(String text) {
    if (text.isEmpty()) {
      throw new InputException("empty transform; give one of " + String.join(", ", NAMES) + ", e.g. median:2");
    }
    int paren = text.indexOf('(');
    int colon = text.indexOf(':');
    String name;
    Map<String, String> args = new LinkedHashMap<>();
    if (paren >= 0 && text.endsWith(")")) {
      name = text.substring(0, paren).trim().toLowerCase(Locale.ROOT);
      String inside = text.substring(paren + 1, text.length() - 1).trim();
      if (!inside.isEmpty()) {
        for (String kv : inside.split(",")) {
          int eq = kv.indexOf('=');
          if (eq < 0) {
            throw new InputException("invalid transform '" + text + "'; give NAME(KEY=VALUE, ...) or NAME:VALUE");
          }
          args.put(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT), kv.substring(eq + 1).trim());
        }
      }
    } else if (colon >= 0 && paren < 0) {
      name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      args.put("", text.substring(colon + 1).trim());
    } else {
      name = text.trim().toLowerCase(Locale.ROOT);
    }
    String main = switch (name) {
      case "crop" -> "pixels";
      case "rescale" -> "factor";
      case "blur" -> "sigma";
      case "jpeg" -> "quality";
      case "median" -> "size";
      case "impulse" -> "threshold";
      case "bitdepth" -> "bits";
      default -> throw new InputException("unknown transform '" + name + "'; known: " + String.join(", ", NAMES));
    };
    if (args.containsKey("")) {
      args.put(main, args.remove(""));
    }
    Args a = new Args(text, name, args);
    Transform t = switch (name) {
      case "crop" -> new Crop(a.integer("pixels"));
      case "blur" -> new GaussianBlur(a.decimal("sigma"));
      case "jpeg" -> new Jpeg(a.integer("quality"));
      case "median" -> new Median(a.integer("size"));
      case "impulse" -> new Impulse(a.decimal("threshold"));
      case "bitdepth" -> new BitDepth(a.integer("bits"));
      default -> a.rescale();
    };
    a.requireAllUsed();
    return t;
  }

  /** The arguments of one transform, each read at most once, so a misspelt key is refused. */
  private static final class Args {
    private final String text;
    private final String name;
    private final Map<String, String> values;

    Args(String text, String name, Map<String, String> values) {
      this.text = text;
      this.name = name;
      this.values = values;
    }

    private String take(String key) {
      String v = values.remove(key);
      if (v == null || v.isEmpty()) {
        throw new InputException("transform '" + text + "' needs a value for " + key + ", e.g. " + example());
      }
      return v;
    }

    int integer(String key) {
      String v = take(key);
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new InputException(name + " " + key + " must be a whole number, was '" + v + "'");
      }
    }

    double decimal(String key) {
      return number(key, take(key));
    }

    private double number(String key, String v) {
      try {
        double d = Double.parseDouble(v);
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // fall through to the one message
      }
      throw new InputException(name + " " + key + " must be a number, was '" + v + "'");
    }

    Rescale rescale() {
      if (values.containsKey("min") || values.containsKey("max")) {
        return new Rescale(decimal("min"), decimal("max"));
      }
      String v = take("factor");
      int range = v.indexOf("..");
      if (range >= 0) {
        return new Rescale(number("min", v.substring(0, range).trim()), number("max", v.substring(range + 2).trim()));
      }
      return new Rescale(number("factor", v));
    }

    void requireAllUsed() {
      if (!values.isEmpty()) {
        throw new InputException("transform '" + text + "' has unknown parameter " + String.join(", ", values.keySet())
            + "; e.g. " + example());
      }
    }

    private String example() {
      return switch (name) {
        case "crop" -> "crop:2";
        case "rescale" -> "rescale:0.5 or rescale:0.5..0.9";
        case "blur" -> "blur:0.6";
        case "jpeg" -> "jpeg:75";
        case "median" -> "median:2";
        case "impulse" -> "impulse:0.3";
        default -> "bitdepth:5";
      };
    }
  }
}
