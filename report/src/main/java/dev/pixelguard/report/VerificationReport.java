package dev.pixelguard.report;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.verify.Counterexample;
import dev.pixelguard.verify.ImageVerdict;
import dev.pixelguard.verify.VerificationResult;
import dev.pixelguard.verify.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verification report ({@code pixelguard verify --report DIR}): one self-contained page, verification.html,
 * with the summary (certified robust accuracy beside the empirical figure) and, per image, its verdict, the
 * image, the counterexample where there is one, and the map of proven margins: for every position, how far the
 * true class stays ahead of every other in the worst case over all colours there.
 */
public final class VerificationReport {
  private VerificationReport() {}

  /**
   * Writes DIR/verification.html.
   *
   * @param images the dataset's images, in the result's order (index i of the result is images.get(i))
   */
  public static Path write(VerificationResult r, List<Image> images, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double top = 0;
    for (ImageVerdict v : r.images()) {
      for (double m : v.margins()) {
        if (!Double.isNaN(m)) {
          top = Math.max(top, m);
        }
      }
    }
    Map<String, Object> page = new HashMap<>();
    page.put("model", r.model());
    page.put("dataset", r.dataset());
    page.put("images", r.images().size());
    page.put("robust", r.count(Verdict.ROBUST));
    page.put("vulnerable", r.count(Verdict.VULNERABLE));
    page.put("unknown", r.count(Verdict.UNKNOWN));
    page.put("misclassified", r.count(Verdict.MISCLASSIFIED));
    page.put("clean", pct(r.cleanAccuracy()));
    page.put("certified", pct(r.certifiedAccuracy()));
    page.put("empirical", pct(r.empiricalAccuracy()));
    page.put("seconds", String.format(Locale.ROOT, "%.2f", r.meanSeconds()));
    page.put("top", String.format(Locale.ROOT, "%.3g", top));
    int n = Math.max(1, r.images().size());
    page.put("barRobust", String.format(Locale.ROOT, "%.2f", 100.0 * r.count(Verdict.ROBUST) / n));
    page.put("barUnknown", String.format(Locale.ROOT, "%.2f", 100.0 * r.count(Verdict.UNKNOWN) / n));
    page.put("barVulnerable", String.format(Locale.ROOT, "%.2f", 100.0 * r.count(Verdict.VULNERABLE) / n));
    page.put("barMisclassified", String.format(Locale.ROOT, "%.2f", 100.0 * r.count(Verdict.MISCLASSIFIED) / n));
    List<Map<String, Object>> settings = new ArrayList<>();
    r.settings().forEach((k, v) -> settings.add(Map.of("key", k, "value", String.valueOf(v))));
    page.put("settings", settings);
    page.put("net", r.net());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < r.images().size(); i++) {
      ImageVerdict v = r.images().get(i);
      Image im = images.get(i);
      Map<String, Object> row = new HashMap<>();
      row.put("index", v.index());
      row.put("id", v.id());
      row.put("label", name(r, v.label()));
      row.put("verdict", v.verdict().key());
      row.put("image", png(im));
      if (v.verdict() != Verdict.MISCLASSIFIED) {
        row.put("map", png(heatmap(v, r.width(), r.height(), top)));
      }
      Counterexample c = v.counterexample();
      if (c != null) {
        Image changed = im.withPixels(List.of(new PixelChange(c.x(), c.y(), im.colour(c.x(), c.y()), c.colour())));
        row.put("adversarial", png(changed));
        row.put("cx", String.format(Locale.ROOT, "pixel (%d, %d) set to %s makes it '%s' (%s)", c.x(), c.y(),
            colour(c.colour()), name(r, c.newClass()), c.found()));
      }
      double m = v.smallestMargin();
      row.put("detail", switch (v.verdict()) {
        case ROBUST -> String.format(Locale.ROOT, "all %d positions cleared; the true class ahead by at least %.3g "
            + "logits everywhere (a certified lower bound, not the model's smallest margin)", v.cleared(), m);
        case VULNERABLE -> v.cleared() + " positions cleared before the counterexample";
        case UNKNOWN -> v.cleared() + " of " + v.margins().length + " positions cleared; " + v.note();
        case MISCLASSIFIED -> v.note();
      });
      row.put("seconds", String.format(Locale.ROOT, "%.2f", v.seconds()));
      rows.add(row);
    }
    page.put("rows", rows);
    String html = template().execute(page);
    Path out = dir.resolve("verification.html");
    ImageFiles.writeAtomically(out, o -> o.write(html.getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static String name(VerificationResult r, int k) {
    return k >= 0 && k < r.classNames().size() ? r.classNames().get(k) : String.valueOf(k);
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String colour(int[] c) {
    return c.length == 1 ? String.valueOf(c[0]) : "(" + c[0] + ", " + c[1] + ", " + c[2] + ")";
  }

  /**
   * The margin map as an image: gray where nothing was concluded, red at a counterexample, and from amber (a
   * margin near zero) to green (the largest margin in the run) on a logarithmic scale where proven.
   */
  static Image heatmap(ImageVerdict v, int w, int h, double top) {
    byte[] rgb = new byte[3 * w * h];
    double[] m = v.margins();
    double lo = Math.log10(1e-3);
    double hi = Math.log10(Math.max(top, 1e-2));
    for (int i = 0; i < w * h; i++) {
      double q = m[i];
      int[] c;
      if (Double.isNaN(q)) {
        c = new int[] {0xd0, 0xd7, 0xde};
      } else if (q < 0) {
        c = new int[] {0xcf, 0x22, 0x2e};
      } else {
        double t = Math.max(0, Math.min(1, (Math.log10(Math.max(q, 1e-3)) - lo) / (hi - lo)));
        c = new int[] {lerp(0xf0, 0x1a, t), lerp(0xb4, 0x7f, t), lerp(0x29, 0x37, t)};
      }
      for (int ch = 0; ch < 3; ch++) {
        rgb[ch * w * h + i] = (byte) c[ch];
      }
    }
    return new Image(3, h, w, rgb);
  }

  private static int lerp(int a, int b, double t) {
    return (int) Math.round(a + (b - a) * t);
  }

  /** The image as an embedded PNG at its own size; the page enlarges it without smoothing. */
  private static String png(Image im) {
    return "data:image/png;base64," + ImageFiles.pngBase64(im);
  }

  private static Template template() {
    try (InputStream in = VerificationReport.class.getResourceAsStream("verification.html.mustache")) {
      return Mustache.compiler().escapeHTML(true).defaultValue("").compile(new InputStreamReader(in,
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("verification report template missing", e);
    }
  }
}
