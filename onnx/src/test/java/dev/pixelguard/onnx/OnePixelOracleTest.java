package dev.pixelguard.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The corner-colour scan against an independent enumeration, and the guided search against the scan, on
 * ResNet-20 and fixture images whose one-pixel weaknesses are known (bench/scan-cifar10.sh: image 30 has a
 * single flipping position-and-corner pair among 8,192, image 8 has 4, image 0 none).
 */
class OnePixelOracleTest extends Resnet20Fixture {
  /** Every (x, y, corner) that flips the image, found by building each modified image on its own. */
  static Set<String> naiveFlips(Image im, int label) {
    Set<String> out = new TreeSet<>();
    List<int[]> corners = new PixelScan(2, false, 1).colours(3);
    for (int y = 0; y < 32; y++) {
      List<Image> row = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      for (int x = 0; x < 32; x++) {
        for (int[] c : corners) {
          row.add(im.withPixels(List.of(new PixelChange(x, y, im.colour(x, y), c))));
          keys.add(x + "," + y + "," + java.util.Arrays.toString(c));
        }
      }
      Scores s = model.classify(ImageBatch.of(row));
      for (int j = 0; j < s.size(); j++) {
        if (s.top(j) != label) {
          out.add(keys.get(j));
        }
      }
    }
    return out;
  }

  @Test
  void scanVerdictsMatchAnIndependentEnumeration() {
    int[][] known = {{30, 1}, {8, 4}, {0, 0}};
    List<AttackTask> tasks = new ArrayList<>();
    for (int[] k : known) {
      Image im = cifar.get(k[0]).image();
      tasks.add(AttackTask.of("#" + k[0], im, new Goal.Untargeted(cifar.get(k[0]).label()),
          model.classify(ImageBatch.of(List.of(im))), 1));
    }
    List<AttackResult> rs = PixelScan.corners().run(model, tasks, new Execution(400, 2), r -> {});
    for (int i = 0; i < known.length; i++) {
      ScanFindings r = rs.get(i).findings();
      assertTrue(r.complete());
      assertEquals(8192, rs.get(i).queries());
      assertEquals(known[i][1] > 0, rs.get(i).success(), "the final check agrees with the scan");
      Set<String> scan = new TreeSet<>();
      r.flips().forEach(f -> scan.add(f.x() + "," + f.y() + "," + java.util.Arrays.toString(f.colour())));
      assertEquals(known[i][1], scan.size(), "image " + known[i][0]);
      assertEquals(naiveFlips(cifar.get(known[i][0]).image(), cifar.get(known[i][0]).label()), scan,
          "image " + known[i][0]);
      assertEquals(known[i][1] > 0, r.vulnerable());
    }
  }

  @Test
  void guidedSearchFindsTheSingleFlippingPairAndTheAdversarialImageFools() {
    Image im = cifar.get(30).image();
    int label = cifar.get(30).label();
    AttackResult r = GuidedPixelAttack.builder().build().run(model, "image", im, new Goal.Untargeted(label), 1);
    assertTrue(r.success());
    assertTrue(r.queries() <= 8576, "every corner is tried within 8,576 queries, took " + r.queries());
    assertEquals(1, r.adversarial().differingPixels(im));
    assertNotEquals(label, model.classify(ImageBatch.of(List.of(r.adversarial()))).top(0));
  }

  @Test
  void labelOnlyGuidedSearchStillFindsACornerVulnerableImage() {
    Image im = cifar.get(8).image();
    int label = cifar.get(8).label();
    AttackResult r = GuidedPixelAttack.builder().build()
        .run(Classifiers.labelOnly(model), "image", im, new Goal.Untargeted(label), 1);
    assertTrue(r.success(), "4 flipping pairs exist; a sweep of all corners finds them");
    assertFalse(r.queries() > 8576);
    assertNotEquals(label, model.classify(ImageBatch.of(List.of(r.adversarial()))).top(0));
  }
}
