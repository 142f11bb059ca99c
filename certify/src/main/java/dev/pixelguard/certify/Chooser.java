package dev.pixelguard.certify;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Chooses masks and fill on the images a defence is fitted on, so that the figures reported on the other images
 * are not fitted to them. It reads {@link Split#fit()} only: every candidate is certified there with early exit
 * (verdicts only), a fitted fill is fitted there, and the candidate that certifies the most images wins (ties:
 * fewer model passes, then the earlier candidate).
 *
 * <pre>{@code
 * Split split = Split.of(cifar, Split.Range.parse("466-931"), Split.Range.parse("0-465"));
 * Chooser.Choice choice = Chooser.choose(Certifier.of(model), split, List.of(
 *     new Chooser.Candidate("lattice:6", "harmonic"), new Chooser.Candidate("lattice:6", "biharmonic")));
 * CertificationResult r = choice.apply(Certifier.of(model)).certify(split.report());
 * }</pre>
 */
public final class Chooser {
  /** The fill name that stands for the orbit stencil fitted on the fit images ({@link Fills#fitStencil}). */
  public static final String FITTED_STENCIL = "stencil:fit";

  private Chooser() {}

  /**
   * One candidate.
   *
   * @param masks a mask spec ({@link MaskSpec#parse})
   * @param fill a fill spec ({@link Fills#parse}), or {@link #FITTED_STENCIL}
   */
  public record Candidate(String masks, String fill) {
    public Candidate {
      Objects.requireNonNull(masks);
      Objects.requireNonNull(fill);
    }
  }

  /**
   * A candidate's outcome on the fit images.
   *
   * @param masks its masks
   * @param fill its fill as used (a fitted stencil with its weights)
   * @param certified fit images certified
   * @param images fit images
   * @param passes masked images it cost, with early exit
   */
  public record Trial(String masks, String fill, int certified, int images, long passes) {}

  /**
   * The choice.
   *
   * @param masks the chosen masks
   * @param fill the chosen fill
   * @param trials every candidate's outcome, in candidate order
   * @param fitRange the images it was chosen on
   */
  public record Choice(MaskSpec masks, Fill fill, List<Trial> trials, Split.Range fitRange) {
    public Choice {
      trials = List.copyOf(trials);
    }

    /** {@code certifier} with the chosen masks and fill. */
    public Certifier apply(Certifier certifier) {
      return certifier.masks(masks).fill(fill);
    }
  }

  /** Progress: called after each candidate. */
  public interface Listener {
    void tried(Trial trial);
  }

  /**
   * Certifies each candidate on {@code split.fit()} with {@code base}'s model, threat and guard, early exit on.
   *
   * @throws dev.pixelguard.InputException when a candidate's spec is invalid or its masks do not cover the threat
   *     (checked for all candidates before any work)
   */
  public static Choice choose(Certifier base, Split split, List<Candidate> candidates, Listener listener) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("nothing to choose from");
    }
    Dataset fit = split.fit();
    List<Certifier> certifiers = new ArrayList<>();
    for (Candidate c : candidates) {
      Fill fill = c.fill().equals(FITTED_STENCIL) ? Fills.fitStencil(fit) : Fills.parse(c.fill());
      Certifier cert = base.masks(c.masks()).fill(fill).earlyExit(true);
      cert.maskSet(); // refuses masks that do not cover the threat, before any work
      certifiers.add(cert);
    }
    List<Trial> trials = new ArrayList<>();
    int best = -1;
    for (int i = 0; i < certifiers.size(); i++) {
      Certifier cert = certifiers.get(i);
      CertificationResult r = cert.certify(fit);
      Trial t = new Trial(candidates.get(i).masks(), cert.fill().spec(), r.summary().certified(), r.summary().images(),
          r.summary().maskedPasses());
      trials.add(t);
      if (listener != null) {
        listener.tried(t);
      }
      Trial b = best < 0 ? null : trials.get(best);
      if (b == null || t.certified() > b.certified() || (t.certified() == b.certified() && t.passes() < b.passes())) {
        best = i;
      }
    }
    Certifier won = certifiers.get(best);
    return new Choice(MaskSpec.parse(candidates.get(best).masks()), won.fill(), trials, split.fitRange());
  }
}
