package dev.pixelguard.defence;

import dev.pixelguard.transform.Transform;

import dev.pixelguard.Checks;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ForwardingClassifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A classifier that classifies each image after an input {@link Transform} (which may be a chain): the
 * defended model an adaptive attack must query. Its {@link #info()} names the transform, e.g.
 * {@code "cifar10-resnet20.onnx + median(size=2)"}.
 *
 * <p><b>Seeds.</b> A random transform draws from a seed that belongs to the image: the first 8 bytes of
 * SHA-256 over the root seed (8 bytes, big-endian), the image's shape (channels, height, width as 4-byte
 * big-endian ints) and its values (each {@code float}'s IEEE bits, 4 bytes big-endian, with -0 taken as +0),
 * see {@link #imageSeed}. So the same image gets the same draw in any batch, at any batch size or
 * concurrency, on any machine; a changed pixel gives a fresh draw, as it would for a defence that draws per
 * query.
 *
 * <p><b>Gradients.</b> Made from a {@link GradientClassifier}, {@link #of} gives a {@link Gradient}, itself a
 * gradient classifier, so white-box attacks accept the defended model. Its loss gradient is the expectation
 * over transformation (EOT, Athalye, Carlini &amp; Wagner 2018; Athalye et al. 2018): the mean over
 * {@code samples} draws of the base model's loss gradient at the transformed image, mapped back through that
 * draw's {@link Transform#backward} (the exact transpose for linear transforms, straight-through for JPEG,
 * median and bit depth). Draw 0 is the draw {@link #classify} uses, and the others come from
 * {@link #drawSeed}; a deterministic transform takes one draw whatever {@code samples} says. The returned
 * loss is the mean over the draws, and the returned scores are those of {@link #classify} (draw 0).
 *
 * <p>Known limits: the transform is known to the attacker here on purpose (an adaptive evaluation); a defence
 * measured only against attacks that ignore it says little. Closing this closes the wrapped classifier.
 */
public class TransformedClassifier extends ForwardingClassifier {
  /** The EOT draws {@link #of(GradientClassifier, Transform, long)} takes for a random transform. */
  public static final int DEFAULT_SAMPLES = 8;

  private final Transform transform;
  private final long rootSeed;
  private final ModelInfo info;

  private TransformedClassifier(Classifier base, Transform transform, long rootSeed) {
    super(base);
    this.transform = Objects.requireNonNull(transform);
    this.rootSeed = rootSeed;
    ModelInfo b = base.info();
    this.info = new ModelInfo(b.channels(), b.height(), b.width(), b.numClasses(), b.classNames(),
        b.name() + " + " + transform.describe());
  }

  /**
   * {@code base} behind {@code transform}: a {@link Gradient} (with {@link #DEFAULT_SAMPLES} EOT draws for a
   * random transform) when {@code base} is a gradient classifier, so the result keeps its powers.
   */
  public static TransformedClassifier of(Classifier base, Transform transform, long rootSeed) {
    return base instanceof GradientClassifier g ? of(g, transform, rootSeed)
        : new TransformedClassifier(base, transform, rootSeed);
  }

  /** {@code base} behind {@code transform}, with {@link #DEFAULT_SAMPLES} EOT draws for a random transform. */
  public static Gradient of(GradientClassifier base, Transform transform, long rootSeed) {
    return of(base, transform, rootSeed, DEFAULT_SAMPLES);
  }

  /**
   * {@code base} behind {@code transform}, its gradient the mean over {@code samples} draws (one for a
   * deterministic transform).
   *
   * @param samples EOT draws per gradient, at least 1
   */
  public static Gradient of(GradientClassifier base, Transform transform, long rootSeed, int samples) {
    return new Gradient(base, transform, rootSeed, samples);
  }

  /** The transform applied before the wrapped classifier. */
  public Transform transform() {
    return transform;
  }

  /** The root seed the per-image seeds derive from. */
  public long rootSeed() {
    return rootSeed;
  }

  /** The wrapped classifier's info, named {@code "BASE + TRANSFORM"}. */
  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public Scores classify(ImageBatch batch) {
    return super.classify(transformed(batch, 0));
  }

  /** The batch as the wrapped classifier sees it under EOT draw {@code draw} (draw 0: what classify uses). */
  public ImageBatch transformed(ImageBatch batch, int draw) {
    Flat b = Flat.of(batch);
    float[] dst = new float[b.values.length];
    for (int i = 0; i < b.n; i++) {
      transform.apply(b.values, i * b.len, b.c, b.h, b.w, dst, i * b.len,
          seed(transform, rootSeed, b.values, i * b.len, b.c, b.h, b.w, draw));
    }
    return ImageBatch.wrap(b.n, b.c, b.h, b.w, dst);
  }

  /** A batch's shape and its values copied flat: what a transform reads image by image. */
  private record Flat(int n, int c, int h, int w, int len, float[] values) {
    static Flat of(ImageBatch batch) {
      float[] v = new float[batch.size() * batch.imageLength()];
      batch.copyTo(v, 0);
      return new Flat(batch.size(), batch.channels(), batch.height(), batch.width(), batch.imageLength(), v);
    }
  }

  /** The classifier the transformed images go to. */
  public Classifier base() {
    return delegate();
  }

  /**
   * Images {@code from} (inclusive) to {@code to} (exclusive) of the flat batch {@code src} as {@link #classify}
   * transforms them (draw 0), into the same places of {@code dst}: what a gate shares between the models that
   * look through the same transform.
   */
  static void apply(Transform transform, long rootSeed, float[] src, float[] dst, int from, int to, int c, int h,
      int w) {
    int len = c * h * w;
    for (int i = from; i < to; i++) {
      transform.apply(src, i * len, c, h, w, dst, i * len, seed(transform, rootSeed, src, i * len, c, h, w, 0));
    }
  }

  private static long seed(Transform transform, long rootSeed, float[] data, int offset, int c, int h, int w,
      int draw) {
    return transform.isRandom() ? drawSeed(imageSeed(rootSeed, data, offset, c, h, w), draw) : 0L;
  }

  /**
   * The seed of one image under {@code root}: the first 8 bytes, big-endian, of SHA-256 over the root
   * (8 bytes), {@code channels}, {@code height}, {@code width} (4 bytes each) and the image's
   * {@code channels * height * width} values from {@code offset} (IEEE float bits, 4 bytes each, -0 as +0),
   * all big-endian.
   */
  public static long imageSeed(long root, float[] values, int offset, int channels, int height, int width) {
    int len = channels * height * width;
    ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES + 3 * Integer.BYTES + len * Float.BYTES);
    bytes.putLong(root).putInt(channels).putInt(height).putInt(width);
    for (int i = 0; i < len; i++) {
      bytes.putInt(Float.floatToIntBits(values[offset + i] + 0.0f));
    }
    return sha256Prefix(bytes.array());
  }

  /**
   * The seed of EOT draw {@code draw} of an image whose seed is {@code imageSeed}: the image seed itself for
   * draw 0, else the first 8 bytes of SHA-256 over the image seed and the draw (8 and 4 bytes, big-endian).
   */
  public static long drawSeed(long imageSeed, int draw) {
    return draw == 0 ? imageSeed
        : sha256Prefix(ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(imageSeed).putInt(draw).array());
  }

  private static long sha256Prefix(byte[] data) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(data)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * A transformed gradient classifier: classifies like its parent, and gives the EOT loss gradient described
   * on {@link TransformedClassifier}.
   */
  public static final class Gradient extends TransformedClassifier implements GradientClassifier {
    private final int samples;

    private Gradient(GradientClassifier base, Transform transform, long rootSeed, int samples) {
      super(base, transform, rootSeed);
      this.samples = transform.isRandom() ? Checks.atLeast(1, samples, "EOT samples") : 1;
    }

    /** The EOT draws per gradient: as given for a random transform, 1 for a deterministic one. */
    public int samples() {
      return samples;
    }

    /**
     * The mean over {@link #samples()} draws of the base's loss and of its input gradient mapped back through
     * the transform; the scores are those of {@link #classify} (draw 0).
     */
    @Override
    public LossGradient lossGradient(ImageBatch batch, Loss loss, int[] classes) {
      GradientClassifier base = (GradientClassifier) delegate();
      Flat b = Flat.of(batch);
      int n = b.n();
      int c = b.c();
      int h = b.h();
      int w = b.w();
      int len = b.len();
      float[] src = b.values();
      long[] imageSeeds = new long[n];
      if (transform().isRandom()) {
        for (int i = 0; i < n; i++) {
          imageSeeds[i] = imageSeed(rootSeed(), src, i * len, c, h, w);
        }
      }
      double[] lossSum = new double[n];
      double[][] gradSum = new double[n][len];
      Scores scores = null;
      float[] flatOut = new float[n * len];
      float[] flatIn = new float[n * len];
      for (int s = 0; s < samples; s++) {
        float[] dst = new float[n * len];
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
          seeds[i] = drawSeed(imageSeeds[i], s);
          transform().apply(src, i * len, c, h, w, dst, i * len, seeds[i]);
        }
        LossGradient g = base.lossGradient(ImageBatch.wrap(n, c, h, w, dst), loss, classes);
        if (s == 0) {
          scores = g.scores();
        }
        for (int i = 0; i < n; i++) {
          System.arraycopy(g.gradient()[i], 0, flatOut, i * len, len);
          transform().backward(src, i * len, c, h, w, seeds[i], flatOut, flatIn);
          lossSum[i] += g.loss()[i];
          for (int j = 0; j < len; j++) {
            gradSum[i][j] += flatIn[i * len + j];
          }
        }
      }
      float[] meanLoss = new float[n];
      float[][] meanGrad = new float[n][len];
      for (int i = 0; i < n; i++) {
        meanLoss[i] = (float) (lossSum[i] / samples);
        for (int j = 0; j < len; j++) {
          meanGrad[i][j] = (float) (gradSum[i][j] / samples);
        }
      }
      return new LossGradient(scores, meanLoss, meanGrad);
    }
  }
}
