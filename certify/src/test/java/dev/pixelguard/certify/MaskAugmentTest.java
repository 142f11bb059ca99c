package dev.pixelguard.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskAugmentTest {
  @Test
  void eachMaskedImageIsOneOfTheMaskedImagesDoubleMaskingClassifies() {
    MaskAugment aug = MaskAugment.parse("lattice:2,harmonic,0.5");
    int c = 1;
    int h = 4;
    int w = 4;
    int n = 200;
    float[] batch = new float[n * 16];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < batch.length; i++) {
      batch[i] = r.nextInt(256) / 255f;
    }
    float[] before = batch.clone();
    aug.apply(batch, n, c, h, w, 42);
    MaskSet set = MaskSpec.parse("lattice:2").build(h, w);
    Masker masker = new Masker(set, Fills.harmonic(), c);
    int masked = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      float[] original = java.util.Arrays.copyOfRange(before, i * 16, i * 16 + 16);
      float[] now = java.util.Arrays.copyOfRange(batch, i * 16, i * 16 + 16);
      if (java.util.Arrays.equals(original, now)) {
        continue;
      }
      masked++;
      boolean found = false;
      for (int a = 0; a < 4 && !found; a++) {
        for (int b = a; b < 4 && !found; b++) {
          if (java.util.Arrays.equals(masker.render(original, a, b), now)) {
            found = true;
            seen.add(a + "," + b);
          }
        }
      }
      assertTrue(found, "image " + i + " is no masked image of the family");
    }
    assertTrue(masked > 70 && masked < 130, "masked " + masked + " of 200 at p = 0.5");
    assertEquals(10, seen.size()); // every one- and two-mask combination turns up
    float[] again = before.clone();
    aug.apply(again, n, c, h, w, 42);
    assertArrayEquals(batch, again); // seeded
  }

  @Test
  void specsReadBackAndBadOnesAreRefused() {
    assertEquals("lattice:6,biharmonic,0.5", MaskAugment.parse("lattice:6").spec());
    assertEquals("blocks:5/4,grey,1.0", MaskAugment.parse("blocks:5/4,grey,1").spec());
    for (String bad : new String[] {"lattice:6,blur", "lattice:6,harmonic,0", "lattice:6,harmonic,x", "circle", "a,b,c,d"}) {
      assertThrows(InputException.class, () -> MaskAugment.parse(bad), bad);
    }
  }
}
