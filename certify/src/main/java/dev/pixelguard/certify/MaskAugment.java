package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training that helps the proof: each training image, with probability p, is shown to the network as double
 * masking will show it, with one or two random masks of a family applied and filled by the same fill (each of
 * the k(k+1)/2 one- and two-mask combinations equally likely). Like Cutout (DeVries and Taylor 2017), but with
 * the very masks and fill a certificate asks the network to classify correctly, so the network's certified
 * accuracy approaches its clean accuracy. Written {@code MASKS[,FILL[,P]]}, e.g. {@code lattice:6} (biharmonic
 * fill, p = 0.5) or {@code lattice:6,harmonic,0.75}. Immutable and thread-safe; seeded.
 */
public final class MaskAugment {
  /** The share of images masked unless given: half, so the network keeps seeing clean images too. */
  public static final double DEFAULT_PROBABILITY = 0.5;

  private final MaskSpec masks;
  private final Fill fill;
  private final double probability;

  /**
   * @param probability the share of images masked, in (0, 1]
   */
  public MaskAugment(MaskSpec masks, Fill fill, double probability) {
    if (!(probability > 0 && probability <= 1)) {
      throw new InputException("the share of masked training images must be in (0, 1], was " + probability);
    }
    this.masks = masks;
    this.fill = fill;
    this.probability = probability;
  }

  /**
   * Reads {@code MASKS[,FILL[,P]]}.
   *
   * @throws InputException in one line for a bad spec
   */
  public static MaskAugment parse(String spec) {
    String[] parts = spec.split(",", -1);
    if (parts.length > 3) {
      throw new InputException("invalid mask augmentation '" + spec + "'; write MASKS[,FILL[,P]], e.g. lattice:6 or"
          + " lattice:6,biharmonic,0.5");
    }
    MaskSpec m = MaskSpec.parse(parts[0]);
    Fill f = parts.length > 1 ? Fills.parse(parts[1]) : Fills.standard();
    double p = DEFAULT_PROBABILITY;
    if (parts.length > 2) {
      try {
        p = Double.parseDouble(parts[2].trim());
      } catch (NumberFormatException e) {
        throw new InputException("invalid mask augmentation '" + spec + "': '" + parts[2] + "' is not a number");
      }
    }
    return new MaskAugment(m, f, p);
  }

  /** The spec in full, e.g. {@code lattice:6,biharmonic,0.5}. */
  public String spec() {
    return masks.spec() + "," + fill.spec() + "," + String.format(Locale.ROOT, "%s", probability);
  }

  public MaskSpec masks() {
    return masks;
  }

  public Fill fill() {
    return fill;
  }

  public double probability() {
    return probability;
  }

  /**
   * Masks a batch in place.
   *
   * @param batch planar images one after another (NCHW), values in [0, 1]
   * @param seed the batch's seed: the same seed masks the same images the same way
   * @throws InputException when the masks do not fit the images
   */
  public void apply(float[] batch, int images, int channels, int height, int width, long seed) {
    MaskSet set = masks.build(height, width);
    Masker masker = new Masker(set, fill, channels);
    int k = set.size();
    int len = channels * height * width;
    SplittableRandom r = new SplittableRandom(seed);
    float[] masked = new float[len];
    for (int i = 0; i < images; i++) {
      double u = r.nextDouble();
      int pair = r.nextInt(set.predictions());
      if (u >= probability) {
        continue;
      }
      int a = 0;
      while (pair >= k - a) { // pairs a <= b, row by row: row a holds k - a of them
        pair -= k - a;
        a++;
      }
      masker.render(batch, i * len, a, a + pair, masked, 0);
      System.arraycopy(masked, 0, batch, i * len, len);
    }
  }

  @Override
  public String toString() {
    return "mask augmentation " + spec();
  }
}
