package dev.pixelguard.audit;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.model.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A threat-model card: every threat model, each with one stated budget, run against a plain model and,
 * optionally, against the defended system built on it, over the same images with the same seeds.
 *
 * <pre>{@code
 * AuditResult card = Audit.run(model, gate.asClassifier(), images, ThreatModels.standard(7, 3),
 *     new Execution(400, 8), null);
 * card.rows().forEach(r -> System.out.println(r.threat() + " " + r.plain().accuracy()));
 * }</pre>
 */
public final class Audit {
  private Audit() {}

  /** Progress of an audit: which threat model against which system, and how far. */
  public interface Listener {
    /**
     * @param threat the threat model being run
     * @param system "plain" or "defended"
     */
    void step(ThreatModel threat, String system, int done, int total, int fooled);
  }

  /**
   * Runs every threat model against {@code plain} and, when not null, against {@code defended}.
   *
   * @param defended the defended system (its last class {@code abstain} when it may decline), or null
   * @param listener progress, or null
   */
  public static AuditResult run(Classifier plain, Classifier defended, Dataset images, List<ThreatModel> threats,
      Execution execution, Listener listener) {
    Objects.requireNonNull(plain, "plain");
    if (threats.isEmpty()) {
      throw new IllegalArgumentException("an audit needs at least one threat model");
    }
    long t0 = System.nanoTime();
    List<AuditResult.Row> rows = new ArrayList<>();
    for (ThreatModel t : threats) {
      ThreatOutcome p = t.assess(plain, images, execution, progress(listener, t, "plain"));
      ThreatOutcome d = defended == null ? null
          : t.assess(defended, images, execution, progress(listener, t, "defended"));
      rows.add(new AuditResult.Row(t.name(), t.describe(),
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(t.settings())), p, d));
    }
    return new AuditResult(plain.info().name(), defended == null ? null : defended.info().name(), images.name(),
        images.size(), rows, (System.nanoTime() - t0) / 1e9);
  }

  private static ThreatModel.Progress progress(Listener l, ThreatModel t, String system) {
    return l == null ? null : (done, total, fooled) -> l.step(t, system, done, total, fooled);
  }
}
