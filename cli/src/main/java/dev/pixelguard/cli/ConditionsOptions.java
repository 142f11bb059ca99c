package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.patch.Conditions;
import dev.pixelguard.data.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The viewing conditions a sticker is trained and evaluated under (expectation over transformation). */
public final class ConditionsOptions {
  @Option(names = "--rotation", paramLabel = "DEG", description = "Rotation drawn from +-DEG degrees (default: 20).")
  double rotation = 20;

  @Option(names = "--scale", paramLabel = "MIN-MAX", description = "Scale of the sticker (default: 0.8-1.2).")
  String scale = "0.8-1.2";

  @Option(names = "--brightness", paramLabel = "B", description = "Brightness shift drawn from +-B, in [0,1] pixel "
      + "units (default: 0.1).")
  double brightness = 0.1;

  @Option(names = "--contrast", paramLabel = "MIN-MAX", description = "Contrast about mid-grey (default: 0.8-1.2).")
  String contrast = "0.8-1.2";

  @Option(names = "--blur", paramLabel = "SIGMA", description = "Gaussian blur sigma drawn from 0-SIGMA pixels "
      + "(default: 1).")
  double blur = 1;

  @Option(names = "--noise", paramLabel = "STD", description = "Gaussian noise standard deviation drawn from 0-STD, "
      + "[0,1] units (default: 0.02, about 5 of 255).")
  double noise = 0.02;

  @Option(names = "--jpeg", paramLabel = "MIN-MAX|none", description = "JPEG quality drawn from MIN-MAX, or none "
      + "(default: 60-95).")
  String jpeg = "60-95";

  @Option(names = "--mask", paramLabel = "FILE.png", description = "Allowed region: an image of the images' size "
      + "whose white (bright) pixels the sticker may cover; it must lie wholly inside (default: anywhere).")
  Path mask;

  /** The distribution these options describe; refuses bad values in one line. */
  Conditions conditions() {
    double[] s = pair("--scale", scale);
    double[] c = pair("--contrast", contrast);
    int[] q = "none".equalsIgnoreCase(jpeg.trim()) ? new int[] {0, 0} : intPair("--jpeg", jpeg);
    if (q[0] == 0 && q[1] == 0 && !"none".equalsIgnoreCase(jpeg.trim())) {
      throw new InputException("--jpeg takes MIN-MAX from 1 to 100, or none");
    }
    Conditions.Region region = null;
    if (mask != null) {
      if (!Files.isRegularFile(mask)) {
        throw new InputException("mask not found: " + mask);
      }
      region = Conditions.Region.of(ImageFiles.read(mask), mask.getFileName().toString());
    }
    try {
      return new Conditions(rotation, s[0], s[1], brightness, c[0], c[1], blur, noise, q[0], q[1], region);
    } catch (InputException e) {
      throw new InputException(e.getMessage().replace("rotation range", "--rotation").replace("scale range", "--scale")
          .replace("brightness range", "--brightness").replace("contrast range", "--contrast")
          .replace("blur range", "--blur").replace("noise range", "--noise").replace("jpeg quality range", "--jpeg"));
    }
  }

  private static double[] pair(String option, String text) {
    String[] p = text.trim().split("-");
    try {
      if (p.length == 2) {
        return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
      }
      if (p.length == 1) {
        double v = Double.parseDouble(p[0]);
        return new double[] {v, v};
      }
    } catch (NumberFormatException e) {
      // the one message below
    }
    throw new InputException(option + " takes MIN-MAX (e.g. 0.8-1.2), was '" + text + "'");
  }

  private static int[] intPair(String option, String text) {
    String[] p = text.trim().split("-");
    try {
      if (p.length == 2) {
        return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
      }
      if (p.length == 1) {
        int v = Integer.parseInt(p[0].trim());
        return new int[] {v, v};
      }
    } catch (NumberFormatException e) {
      // the one message below
    }
    throw new InputException(option + " takes MIN-MAX (e.g. 60-95) or none, was '" + text + "'");
  }
}
