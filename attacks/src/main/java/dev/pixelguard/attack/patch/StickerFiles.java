package dev.pixelguard.attack.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pixelguard.InputException;
import dev.pixelguard.JsonErrors;
import dev.pixelguard.data.ImageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sticker on disk: {@code NAME.png} holds its exact 8-bit values (lossless, one image pixel per sticker pixel),
 * {@code NAME.print.png} the same enlarged by pixel repetition for printing, and {@code NAME.json} the settings
 * and seeds it was learned with, which evaluation reads back for the target class.
 */
public final class StickerFiles {
  private StickerFiles() {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The settings file beside a sticker's PNG: {@code sticker.png} to {@code sticker.json}. */
  public static Path settingsFile(Path png) {
    return sibling(png, ".json");
  }

  /** The print version beside a sticker's PNG: {@code sticker.png} to {@code sticker.print.png}. */
  public static Path printFile(Path png) {
    return sibling(png, ".print.png");
  }

  private static Path sibling(Path png, String suffix) {
    String name = png.getFileName().toString();
    String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    return png.resolveSibling(stem + suffix);
  }

  /**
   * Writes the sticker's PNG, its print version ({@code printScale} times larger) and its settings file.
   *
   * @param about what goes into the settings file beside the settings: the model, the dataset, the split, the
   *     final figures (values are numbers, strings, booleans, arrays or maps)
   */
  public static void write(Path png, Sticker sticker, int printScale, Map<String, Object> about) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", 1);
    m.put("sticker", png.getFileName().toString());
    m.put("print", printFile(png).getFileName().toString());
    m.put("printScale", printScale);
    m.put("size", sticker.size());
    m.put("channels", sticker.channels());
    m.putAll(about);
    ImageFiles.writePng(sticker.toImage(), png);
    ImageFiles.writePng(sticker.upscaled(printScale), printFile(png));
    ImageFiles.writeAtomically(settingsFile(png), out -> out.write(JSON.writeValueAsString(m).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Reads a sticker from its PNG (the exact 8-bit values).
   *
   * @throws InputException when the file is missing, not an image, or not square
   */
  public static Sticker read(Path png) {
    if (!Files.isRegularFile(png)) {
      throw new InputException("sticker not found: " + png);
    }
    return Sticker.of(ImageFiles.read(png));
  }

  /**
   * The settings file beside a sticker, or null when there is none.
   *
   * @throws InputException when it exists but is not JSON
   */
  public static JsonNode readSettings(Path png) {
    Path f = settingsFile(png);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw new InputException("cannot read sticker settings " + f + ": " + JsonErrors.describe(e));
    }
  }
}
