package dev.pixelguard.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Journal;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
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
    return run(plain, defended, images, threats, execution, listener, null);
  }

  /**
   * As {@link #run(Classifier, Dataset, List, Execution, Listener)}, journaled: each threat model against each
   * system keeps its images' outcomes in its own {@link Journal#part} of {@code journal} ({@link #part}), so a run
   * killed at any moment and resumed with the same journal finishes with the outcomes of an uninterrupted run,
   * image for image. The journal's settings should be {@link #settings}.
   *
   * @param journal the audit's journal, or null for none
   */
  public static AuditResult run(Classifier plain, Classifier defended, Dataset images, List<ThreatModel> threats,
      Execution execution, Listener listener, Journal journal) {
    Objects.requireNonNull(plain, "plain");
    if (threats.isEmpty()) {
      throw new IllegalArgumentException("an audit needs at least one threat model");
    }
    long t0 = System.nanoTime();
    List<AuditResult.Row> rows = new ArrayList<>();
    for (ThreatModel t : threats) {
      ThreatOutcome p = t.assess(plain, images, execution, progress(listener, t, "plain"),
          journal == null ? null : journal.part(part(t, "plain")));
      ThreatOutcome d = defended == null ? null : t.assess(defended, images, execution,
          progress(listener, t, "defended"), journal == null ? null : journal.part(part(t, "defended")));
      rows.add(new AuditResult.Row(t.name(), t.describe(),
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(t.settings())), p, d));
    }
    return new AuditResult(plain.info().name(), defended == null ? null : defended.info().name(), images.name(),
        images.size(), rows, (System.nanoTime() - t0) / 1e9);
  }

  /** The journal part of one threat model against one system: "one pixel / plain", "L2 0.5 / defended". */
  public static String part(ThreatModel threat, String system) {
    return threat.name() + " / " + system;
  }

  /**
   * What an audit's outcomes depend on, and so what a resumed audit must share: the plain model (name, classes,
   * input shape), the defended system's description (or "none"), the dataset, and every threat model's settings
   * (method, budget, root seed ...) under its row's name. Batch size, concurrency and the number of images are
   * not part of it: they never change an image's outcome.
   */
  public static ObjectNode settings(ModelInfo plain, String defended, String dataset, List<ThreatModel> threats) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "audit");
    s.put("model", plain.name());
    s.put("classes", String.join(",", plain.classNames()));
    s.put("shape", plain.channels() + "x" + plain.height() + "x" + plain.width());
    s.put("defended", defended == null ? "none" : defended);
    s.put("dataset", dataset);
    ObjectNode all = s.putObject("threats");
    for (ThreatModel t : threats) {
      ObjectNode one = all.putObject(t.name());
      t.settings().forEach((k, v) -> one.put(k, String.valueOf(v)));
    }
    return s;
  }

  private static ThreatModel.Progress progress(Listener l, ThreatModel t, String system) {
    return l == null ? null : (done, total, fooled) -> l.step(t, system, done, total, fooled);
  }
}
