package dev.pixelguard.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.transform.Transform;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec syntax, parameters, descriptions and refusals. */
class TransformsTest {

  @Test
  void shortSpecsGiveEachTransform() {
    assertEquals(new Crop(2), Transforms.parse("crop:2"));
    assertEquals(new Rescale(0.5), Transforms.parse("rescale:0.5"));
    assertEquals(new Rescale(0.5, 0.9), Transforms.parse("rescale:0.5..0.9"));
    assertEquals(new GaussianBlur(0.6), Transforms.parse("blur:0.6"));
    assertEquals(new Jpeg(75), Transforms.parse("JPEG: 75"));
    assertEquals(new Median(2), Transforms.parse("median:2"));
    assertEquals(new BitDepth(5), Transforms.parse("bitdepth:5"));
    assertEquals(new Chain(List.of(new Median(2), new Jpeg(75))), Transforms.parse("median:2, jpeg:75"));
  }

  @Test
  void describeIsTheParametersAndParsesBack() {
    List<Transform> all = List.of(new Crop(3), new Rescale(0.5), new Rescale(0.25, 0.75), new GaussianBlur(0.6),
        new Jpeg(75), new Median(2), new BitDepth(5), new Chain(List.of(new Median(3), new Crop(1), new Jpeg(90))));
    assertEquals("median(size=2)", new Median(2).describe());
    assertEquals("rescale(min=0.25, max=0.75)", new Rescale(0.25, 0.75).describe());
    assertEquals("rescale(factor=0.5)", new Rescale(0.5).describe());
    assertEquals("median(size=3), crop(pixels=1), jpeg(quality=90)", all.get(7).describe());
    for (Transform t : all) {
      assertEquals(t, Transforms.parse(t.describe()), t.describe());
    }
  }

  @Test
  void randomnessAndGradientKindAreStated() {
    assertTrue(new Crop(2).isRandom());
    assertFalse(new Crop(0).isRandom());
    assertTrue(new Rescale(0.5, 0.9).isRandom());
    assertFalse(new Rescale(0.5).isRandom());
    assertTrue(new Crop(2).exactGradient() && new Rescale(0.5).exactGradient() && new GaussianBlur(1).exactGradient());
    assertFalse(new Jpeg(75).exactGradient() || new Median(2).exactGradient() || new BitDepth(4).exactGradient());
    assertTrue(new Chain(List.of(new GaussianBlur(1), new Crop(1))).exactGradient());
    assertFalse(new Chain(List.of(new GaussianBlur(1), new Median(2))).exactGradient());
  }

  @Test
  void unknownNamesAndBadValuesAreRefusedInOneLine() {
    assertEquals("unknown transform 'sharpen'; known: crop, rescale, blur, jpeg, median, impulse, bitdepth",
        assertThrows(InputException.class, () -> Transforms.parse("sharpen:2")).getMessage());
    assertEquals("jpeg quality must be from 1 to 100, was 0",
        assertThrows(InputException.class, () -> Transforms.parse("jpeg:0")).getMessage());
    assertEquals("median size must be from 2 to 9 pixels, was 1",
        assertThrows(InputException.class, () -> Transforms.parse("median(size=1)")).getMessage());
    assertEquals("bitdepth bits must be from 1 to 8, was 9",
        assertThrows(InputException.class, () -> new BitDepth(9)).getMessage());
    assertEquals("blur sigma must be in (0, 10] pixels, was 0.0",
        assertThrows(InputException.class, () -> Transforms.parse("blur:0")).getMessage());
    assertEquals("rescale factors must satisfy 0 < min <= max <= 1, were min 0.9, max 0.5",
        assertThrows(InputException.class, () -> Transforms.parse("rescale:0.9..0.5")).getMessage());
    assertEquals("crop pixels must be at least 0, was -1",
        assertThrows(InputException.class, () -> Transforms.parse("crop:-1")).getMessage());
    assertEquals("median size must be a whole number, was 'two'",
        assertThrows(InputException.class, () -> Transforms.parse("median:two")).getMessage());
    assertTrue(assertThrows(InputException.class, () -> Transforms.parse("median(width=2)")).getMessage()
        .contains("needs a value for size"));
    assertTrue(assertThrows(InputException.class, () -> Transforms.parse("median(size=2, width=2)")).getMessage()
        .contains("unknown parameter width"));
    assertTrue(assertThrows(InputException.class, () -> Transforms.parse("crop")).getMessage()
        .contains("e.g. crop:2"));
    InputException tooBig = assertThrows(InputException.class,
        () -> new Crop(32).apply(new float[1024], 0, 1, 32, 32, new float[1024], 0, 1));
    assertEquals("crop pixels must be less than the image's height and width (32x32), was 32", tooBig.getMessage());
  }

  /**
   * A median filter clamps a changed pixel to the ranks around each window's median: at every level beyond the
   * admitted range the filtered image is the one at the range's end, and inside it the levels give different
   * images. Checked on a random 6x6 three-channel image at every position, brute force.
   */
  @Test
  void aMedianChangesNothingBeyondItsAdmittedRange() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    byte[] px = new byte[3 * 6 * 6];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    dev.pixelguard.image.Image image = new dev.pixelguard.image.Image(3, 6, 6, px);
    for (int size : new int[] {2, 3}) {
      Median m = new Median(size);
      dev.pixelguard.model.ColourRanges range = m.admitted(image);
      for (int pos = 0; pos < 36; pos++) {
        for (int c = 0; c < 3; c++) {
          float[] atLo = filtered(m, image, pos, c, range.lo(pos, c));
          float[] atHi = filtered(m, image, pos, c, range.hi(pos, c));
          for (int level = 0; level < 256; level += 5) {
            float[] out = filtered(m, image, pos, c, level);
            if (level < range.lo(pos, c)) {
              assertArrayEquals(atLo, out, "below the range at " + pos + "/" + c + "/" + level);
            } else if (level > range.hi(pos, c)) {
              assertArrayEquals(atHi, out, "above the range at " + pos + "/" + c + "/" + level);
            }
          }
          if (range.lo(pos, c) < range.hi(pos, c)) {
            assertTrue(!java.util.Arrays.equals(atLo, atHi), "the range's ends differ at " + pos + "/" + c);
          }
        }
      }
    }
  }

  private static float[] filtered(Transform t, dev.pixelguard.image.Image image, int pos, int c, int level) {
    float[] v = new float[3 * 36];
    image.writeUnit(v, 0);
    v[c * 36 + pos] = level / 255f;
    float[] out = new float[v.length];
    t.apply(v, 0, 3, 6, 6, out, 0, 0);
    return out;
  }
}
