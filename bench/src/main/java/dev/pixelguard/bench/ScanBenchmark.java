package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 5's oracle: the exhaustive corner-colour one-pixel scan on the first N correctly classified CIFAR-10
 * fixture images, checked image by image against an independent, naive enumeration (every modified image
 * built with {@link Image#withPixels} and classified on its own path, no scheduler).
 *
 * <p>Arguments: {@code SHARED_DIR [N=100] [LEVELS=2] [RESULTS_JSON] [--no-check]}.
 */
public final class ScanBenchmark {
  private ScanBenchmark() {}

  public static void main(String[] args) {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int levels = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path results = args.length > 3 ? Path.of(args[3]) : null;
    boolean check = !(args.length > 4 && args[4].equals("--no-check"));
    try (OnnxClassifier model = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT)) {
      Dataset data = Fixture100.firstCorrect(model, shared, n);
      PixelScan scan = new PixelScan(levels, false, 400);
      EvaluationResult r = Evaluation.of(model, data, scan).execution(new Execution(400, 2)).run();
      List<AttackResult> rs = r.attempts();
      List<String> vulnerable = new ArrayList<>();
      for (AttackResult a : rs) {
        if (a.findings().vulnerable()) {
          vulnerable.add("#" + a.imageId().substring(a.imageId().indexOf('#') + 1) + "(" + a.findings().flips().size()
              + ")");
        }
      }
      System.out.printf(Locale.ROOT, "scan: %d levels (%d colours), %d images, %.1f s, %,d queries%n", levels,
          scan.colours(3).size(), rs.size(), r.totals().seconds(), r.summary().attackQueries());
      System.out.printf(Locale.ROOT, "one-pixel vulnerable: %d of %d%n", vulnerable.size(), rs.size());
      System.out.println("vulnerable images (flipping pairs): " + String.join(" ", vulnerable));
      if (results != null) {
        ResultsJson.write(r, results);
      }
      if (check) {
        int agree = 0;
        List<int[]> colours = scan.colours(3);
        for (int i = 0; i < rs.size(); i++) {
          Image im = rs.get(i).original();
          int label = data.get(i).label();
          int flips = 0;
          List<Image> batch = new ArrayList<>();
          for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
              for (int[] c : colours) {
                batch.add(im.withPixels(List.of(new PixelChange(x, y, im.colour(x, y), c))));
              }
            }
            Scores s = model.classify(ImageBatch.of(batch));
            for (int j = 0; j < s.size(); j++) {
              if (s.top(j) != label) {
                flips++;
              }
            }
            batch.clear();
          }
          boolean same = flips == rs.get(i).findings().flips().size();
          agree += same ? 1 : 0;
          if (!same) {
            System.out.printf("MISMATCH %s: scan %d flips, independent %d%n", rs.get(i).imageId(),
                rs.get(i).findings().flips().size(), flips);
          }
        }
        System.out.printf(Locale.ROOT, "independent check: %d of %d images agree (flip counts, image by image)%n",
            agree, rs.size());
      }
    }
  }
}
