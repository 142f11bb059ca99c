package dev.pixelguard.audit;

import java.util.List;
import java.util.Map;

/**
 * A finished audit: one row per threat model, the plain model's outcome beside the defended system's.
 *
 * @param model the plain model's name
 * @param defended the defended system's description, or null when only the plain model was audited
 * @param dataset the audited images' source
 * @param images how many images
 * @param rows one per threat model, in the order run
 * @param seconds wall time of the whole audit
 */
public record AuditResult(String model, String defended, String dataset, int images, List<Row> rows,
    double seconds) {

  public AuditResult {
    rows = List.copyOf(rows);
  }

  /**
   * One threat model's outcomes.
   *
   * @param threat the row's name
   * @param describe the method and budget in one line
   * @param settings every setting, seeds included
   * @param plain against the plain model
   * @param defended against the defended system, or null
   */
  public record Row(String threat, String describe, Map<String, Object> settings, ThreatOutcome plain,
      ThreatOutcome defended) {}

  /** Whether a defended system was audited beside the plain model. */
  public boolean hasDefended() {
    return defended != null;
  }
}
