package dev.pixelguard.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.InputException;
import dev.pixelguard.JsonErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A model's conventions, declared once: how to feed it and how to read it.
 *
 * <p>Every field has a default, and engines fill what the model file itself says (input shape, class
 * count), so most models need no descriptor. A descriptor is a small JSON file, by convention next to the
 * model as {@code MODEL.json} (for example {@code resnet.onnx.json}):
 *
 * <pre>{@code
 * {
 *   "layout": "NCHW",             // or "NHWC"
 *   "range": "unit",              // [0,1]; or "byte" for [0,255]
 *   "mean": [0.4914, 0.4822, 0.4465],   // optional, in the units of "range"
 *   "std":  [0.2470, 0.2435, 0.2616],   // optional
 *   "output": "logits",           // or "probabilities", or "auto"
 *   "classes": ["airplane", "automobile", ...],
 *   "input": [3, 32, 32],         // C, H, W; needed only where the model file does not say (TorchScript)
 *   "temperature": 2.35           // optional: divide the logits by it (pixelguard calibrate fits it)
 * }
 * }</pre>
 *
 * @param layout input tensor layout
 * @param range value range before normalisation
 * @param mean per-channel mean subtracted after scaling to {@code range}, or null for none
 * @param std per-channel standard deviation divided by after subtracting {@code mean}, or null for none
 * @param output what the output holds
 * @param classNames class names in label order, or empty to use the model's count with numbered names
 * @param inputShape [C, H, W], or null to take it from the model file
 * @param layoutStated whether the layout was stated (descriptor or option) rather than defaulted: a stated
 *     layout the model's input contradicts is refused, a default one follows the model
 * @param temperature the calibration temperature T the logits are divided by before the softmax (positive,
 *     finite; see {@link dev.pixelguard.model.TemperatureScaled}), or null for none; {@link Models#open}
 *     applies it to every model it opens
 */
public record ModelSpec(
    InputLayout layout,
    ValueRange range,
    float[] mean,
    float[] std,
    OutputKind output,
    List<String> classNames,
    int[] inputShape,
    boolean layoutStated,
    Double temperature) implements java.io.Serializable {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_COMMENTS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** NCHW, [0, 1], no normalisation, output kind detected, names and shape from the model. */
  public static final ModelSpec DEFAULT =
      new ModelSpec(InputLayout.NCHW, ValueRange.UNIT, null, null, OutputKind.AUTO, List.of(), null, false, null);

  public ModelSpec {
    if (layout == null || range == null || output == null) {
      throw new IllegalArgumentException("layout, range and output are required");
    }
    mean = mean == null ? null : mean.clone();
    std = std == null ? null : std.clone();
    if (std != null) {
      for (float s : std) {
        if (!(s > 0)) {
          throw new InputException("std values must be positive, was " + Arrays.toString(std));
        }
      }
    }
    if (mean != null && std != null && mean.length != std.length) {
      throw new InputException("mean and std must have one value per channel, have " + mean.length + " and "
          + std.length);
    }
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
    if (inputShape != null) {
      if (inputShape.length != 3 || (inputShape[0] != 1 && inputShape[0] != 3) || inputShape[1] <= 0
          || inputShape[2] <= 0) {
        throw new InputException("input shape must be [C, H, W] with C 1 or 3, was " + Arrays.toString(inputShape));
      }
      inputShape = inputShape.clone();
    }
    if (temperature != null) {
      checkTemperature(temperature, "temperature");
    }
  }

  /**
   * Refuses a temperature that is not positive and finite, in one line naming {@code what}.
   *
   * @throws InputException if it is zero, negative, NaN or infinite
   */
  public static void checkTemperature(double t, String what) {
    if (!(t > 0) || Double.isInfinite(t)) {
      throw new InputException(what + " must be a positive, finite number, was " + t);
    }
  }

  @Override
  public float[] mean() {
    return mean == null ? null : mean.clone();
  }

  @Override
  public float[] std() {
    return std == null ? null : std.clone();
  }

  @Override
  public int[] inputShape() {
    return inputShape == null ? null : inputShape.clone();
  }

  public ModelSpec withLayout(InputLayout v) {
    return new ModelSpec(v, range, mean, std, output, classNames, inputShape, true, temperature);
  }

  public ModelSpec withRange(ValueRange v) {
    return new ModelSpec(layout, v, mean, std, output, classNames, inputShape, layoutStated, temperature);
  }

  public ModelSpec withNormalization(float[] m, float[] s) {
    return new ModelSpec(layout, range, m, s, output, classNames, inputShape, layoutStated, temperature);
  }

  public ModelSpec withOutput(OutputKind v) {
    return new ModelSpec(layout, range, mean, std, v, classNames, inputShape, layoutStated, temperature);
  }

  public ModelSpec withClassNames(List<String> v) {
    return new ModelSpec(layout, range, mean, std, output, v, inputShape, layoutStated, temperature);
  }

  /** With this calibration temperature, or none for null; see {@link #temperature()}. */
  public ModelSpec withTemperature(Double v) {
    return new ModelSpec(layout, range, mean, std, output, classNames, inputShape, layoutStated, v);
  }

  public ModelSpec withInputShape(int[] v) {
    return new ModelSpec(layout, range, mean, std, output, classNames, v, layoutStated, temperature);
  }

  /**
   * Reads a descriptor; fields it leaves out keep their defaults.
   *
   * @throws InputException if the file cannot be read or a field is invalid
   */
  public static ModelSpec read(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException("cannot read model descriptor " + file + ": " + JsonErrors.describe(e));
    }
    if (n == null || !n.isObject()) {
      throw new InputException("model descriptor " + file + " must be a JSON object");
    }
    java.util.Iterator<String> keys = n.fieldNames();
    while (keys.hasNext()) {
      String k = keys.next();
      if (!KEYS.contains(k)) {
        throw new InputException("model descriptor " + file + ": unknown key '" + k + "'; the keys are "
            + String.join(", ", KEYS));
      }
    }
    ModelSpec s = DEFAULT;
    if (n.hasNonNull("layout")) {
      s = s.withLayout(parseEnum(InputLayout.class, n.get("layout").asText(), "layout", file));
    }
    if (n.hasNonNull("range")) {
      s = s.withRange(parseRange(n.get("range").asText()));
    }
    if (n.hasNonNull("mean") || n.hasNonNull("std")) {
      s = s.withNormalization(floats(n.get("mean"), "mean", file), floats(n.get("std"), "std", file));
    }
    if (n.hasNonNull("output")) {
      s = s.withOutput(parseEnum(OutputKind.class, n.get("output").asText(), "output", file));
    }
    if (n.hasNonNull("classes")) {
      List<String> names = new ArrayList<>();
      n.get("classes").forEach(c -> names.add(c.asText()));
      s = s.withClassNames(names);
    }
    if (n.hasNonNull("input")) {
      float[] f = floats(n.get("input"), "input", file);
      int[] shape = new int[f.length];
      for (int i = 0; i < f.length; i++) {
        shape[i] = (int) f[i];
      }
      s = s.withInputShape(shape);
    }
    if (n.hasNonNull("temperature")) {
      JsonNode t = n.get("temperature");
      if (!t.isNumber()) {
        throw new InputException("model descriptor " + file + ": temperature must be a number, was " + t);
      }
      checkTemperature(t.asDouble(), "model descriptor " + file + ": temperature");
      s = s.withTemperature(t.asDouble());
    }
    return s;
  }

  /**
   * Sets {@code "temperature"} in a descriptor file, keeping every other key and value (JSON comments are not
   * kept), or creates the file with only that key. The new content is checked by {@link #read} and written
   * to a temporary file in the same folder, then moved over the destination in one step, so a failure
   * leaves the old file as it was.
   *
   * @param file the descriptor, such as {@code resnet20.onnx.json}
   * @param temperature positive and finite
   * @throws InputException if the existing file is not a valid descriptor or cannot be written
   */
  public static void writeTemperature(Path file, double temperature) {
    checkTemperature(temperature, "temperature");
    com.fasterxml.jackson.databind.node.ObjectNode root;
    if (java.nio.file.Files.exists(file)) {
      read(file); // refuses a file that is no valid descriptor before it is rewritten
      try {
        root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(file.toFile());
      } catch (IOException e) {
        throw new InputException("cannot read model descriptor " + file + ": " + JsonErrors.describe(e));
      }
    } else {
      root = JSON.createObjectNode();
    }
    root.put("temperature", temperature);
    Path abs = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = java.nio.file.Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
      java.nio.file.Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
      read(tmp);
      java.nio.file.Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new InputException("cannot write model descriptor " + file + ": " + InputException.firstLine(
          e.getClass().getSimpleName() + " " + e.getMessage()));
    } finally {
      if (tmp != null) {
        try {
          java.nio.file.Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  /** Parses "unit", "0-1", "[0,1]", "byte", "0-255", "[0,255]". */
  public static ValueRange parseRange(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    return switch (t) {
      case "unit", "0-1", "[0,1]", "0..1" -> ValueRange.UNIT;
      case "byte", "0-255", "[0,255]", "0..255" -> ValueRange.BYTE;
      default -> throw new InputException("unknown value range '" + text + "'; use unit ([0,1]) or byte ([0,255])");
    };
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String field, Path file) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InputException("model descriptor " + file + ": unknown " + field + " '" + text + "'; use one of "
          + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }

  /** The keys a descriptor may hold; any other (a misspelling such as "meen") is refused. */
  public static final List<String> KEYS = List.of("layout", "range", "mean", "std", "output", "classes", "input",
      "temperature");

  private static float[] floats(JsonNode n, String key, Path file) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw new InputException("model descriptor " + file + ": " + key + " must be a list of numbers, was " + n);
    }
    float[] out = new float[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).isNumber()) {
        throw new InputException("model descriptor " + file + ": " + key + " must be a list of numbers, has "
            + n.get(i));
      }
      out[i] = (float) n.get(i).asDouble();
    }
    return out;
  }


  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec m && layout == m.layout && range == m.range && Arrays.equals(mean, m.mean)
        && Arrays.equals(std, m.std) && output == m.output && classNames.equals(m.classNames)
        && Arrays.equals(inputShape, m.inputShape) && layoutStated == m.layoutStated
        && java.util.Objects.equals(temperature, m.temperature);
  }

  @Override
  public int hashCode() {
    return layout.hashCode() * 31 + classNames.hashCode();
  }

  @Override
  public String toString() {
    return "ModelSpec[" + layout + ", " + range + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
        + ", output=" + output + ", classes=" + classNames.size() + ", input=" + Arrays.toString(inputShape)
        + (temperature == null ? "" : ", temperature=" + temperature) + "]";
  }

  /**
   * Class names recorded by a model as a JSON list of strings (ONNX metadata {@code classes}, a v2 server's
   * {@code parameters.classes}), or null when the text is no such list of two or more names.
   */
  public static List<String> classNamesFromJson(String text) {
    if (text == null) {
      return null;
    }
    try {
      JsonNode list = new ObjectMapper().readTree(text);
      if (list == null || !list.isArray() || list.size() < 2) {
        return null;
      }
      List<String> names = new java.util.ArrayList<>();
      for (JsonNode n : list) {
        if (!n.isTextual()) {
          return null;
        }
        names.add(n.asText());
      }
      return names;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
