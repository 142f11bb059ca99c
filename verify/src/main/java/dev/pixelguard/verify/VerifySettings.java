package dev.pixelguard.verify;

import dev.pixelguard.InputException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the {@link PixelVerifier} works.
 *
 * @param margin logits the true class must keep over every other, everywhere in the colour cube, for a
 *     position to be cleared: room for the engine's float32 rounding, which the proof (in exact arithmetic)
 *     does not see. The double-precision net and ONNX Runtime agree to within 1e-4 on the fixtures' models.
 * @param timeout wall time per image; an image not decided by then is unknown
 * @param threads positions bounded at once
 * @param minWidth a colour box narrower than this in every channel is not split further: its position stays
 *     open (a margin within {@code margin} of zero, neither provable nor flippable in 8 bits)
 * @param batchSize images per model call in the attack
 * @param seed the root seed of the attack (each image's seed derives from it and the image's id)
 * @param errorSymbols per bound pass, how many unstable ReLUs get an error symbol of their own (DeepZ) instead of
 *     growing the radius: tighter bounds on deep networks for narrow boxes, at a cost of a row per symbol in every
 *     later layer; 0 keeps every relaxation in the radius (docs/verification.md measures both)
 */
public record VerifySettings(double margin, Duration timeout, int threads, double minWidth, int batchSize, long seed,
    int errorSymbols) {
  /** 0.001 logits, 60 s per image, 2 threads, boxes down to 1e-5, batches of 400, seed 1, no error symbols. */
  public static final VerifySettings DEFAULT = new VerifySettings(1e-3, Duration.ofSeconds(60), 2, 1e-5, 400, 1, 0);

  /** Settings without error symbols. */
  public VerifySettings(double margin, Duration timeout, int threads, double minWidth, int batchSize, long seed) {
    this(margin, timeout, threads, minWidth, batchSize, seed, 0);
  }

  public VerifySettings {
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new InputException("margin must be 0 or more, was " + margin);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InputException("timeout must be positive, was " + timeout);
    }
    if (threads < 1) {
      throw new InputException("threads must be at least 1, was " + threads);
    }
    if (!(minWidth > 0 && minWidth < 1)) {
      throw new InputException("minimum box width must be in (0, 1), was " + minWidth);
    }
    if (batchSize < 8) {
      throw new InputException("batch size must be at least 8, was " + batchSize);
    }
    if (errorSymbols < 0 || errorSymbols > 1024) {
      throw new InputException("error symbols must be in 0-1024 (each costs a row of every later layer), was "
          + errorSymbols);
    }
  }

  public VerifySettings withTimeout(Duration t) {
    return new VerifySettings(margin, t, threads, minWidth, batchSize, seed, errorSymbols);
  }

  public VerifySettings withThreads(int n) {
    return new VerifySettings(margin, timeout, n, minWidth, batchSize, seed, errorSymbols);
  }

  public VerifySettings withMargin(double m) {
    return new VerifySettings(m, timeout, threads, minWidth, batchSize, seed, errorSymbols);
  }

  public VerifySettings withSeed(long s) {
    return new VerifySettings(margin, timeout, threads, minWidth, batchSize, s, errorSymbols);
  }

  public VerifySettings withErrorSymbols(int n) {
    return new VerifySettings(margin, timeout, threads, minWidth, batchSize, seed, n);
  }

  /** The settings as written in results: every one that decides an outcome. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("margin", margin);
    m.put("timeoutSeconds", timeout.toMillis() / 1000.0);
    m.put("minBoxWidth", minWidth);
    m.put("seed", seed);
    m.put("errorSymbols", errorSymbols);
    m.put("attack", "guided search, 1 pixel, 9,600 queries");
    m.put("colourDomain", "the continuous cube [0, 1]^C, which holds every 8-bit colour");
    m.put("arithmetic", "double precision; the margin covers rounding");
    return m;
  }
}
