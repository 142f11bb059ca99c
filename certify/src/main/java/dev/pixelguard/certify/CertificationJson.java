package dev.pixelguard.certify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.data.ImageFiles;
import java.nio.file.Path;

/**
 * Writes a {@link CertificationResult} as JSON: {@code kind} "certification", the settings, the summary (with the
 * certified gate's figures when every prediction was computed) and one object per image with its verdict. The
 * file is written to a temporary file beside it and moved into place, so a failed run leaves no half file.
 */
public final class CertificationJson {
  /** Schema version, bumped on incompatible changes. */
  public static final int SCHEMA = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CertificationJson() {}

  /** The result as a JSON tree. */
  public static ObjectNode toJson(CertificationResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", "certification");
    root.put("schema", SCHEMA);
    ObjectNode s = root.putObject("settings");
    CertificationResult.Settings st = r.settings();
    s.put("model", st.model());
    s.put("dataset", st.dataset());
    s.put("threat", st.threat());
    s.put("masks", st.masks());
    s.put("maskCount", st.maskCount());
    s.put("predictionsPerImage", st.maskCount() * (st.maskCount() + 1) / 2);
    s.put("fill", st.fill());
    s.put("guard", st.guard());
    s.put("earlyExit", st.earlyExit());
    s.put("batchSize", st.batchSize());
    ObjectNode m = root.putObject("summary");
    CertificationResult.Summary sum = r.summary();
    m.put("images", sum.images());
    m.put("labelled", sum.labelled());
    m.put("modelCorrect", sum.modelCorrect());
    m.put("defendedCorrect", sum.defendedCorrect());
    m.put("certified", sum.certified());
    m.put("modelAccuracy", sum.modelAccuracy());
    m.put("defendedAccuracy", sum.defendedAccuracy());
    m.put("certifiedAccuracy", sum.certifiedAccuracy());
    m.put("maskedPasses", sum.maskedPasses());
    m.put("cleanPasses", sum.cleanPasses());
    m.put("passesPerImage", sum.passesPerImage());
    m.put("maxPasses", sum.maxPasses());
    m.put("seconds", sum.seconds());
    m.put("modelSeconds", sum.modelSeconds());
    m.put("imagesPerSecond", sum.imagesPerSecond());
    if (r.certificates().stream().anyMatch(c -> c.gate() != null && c.hasLabel())) {
      CertifiedGate.Bound b = CertifiedGate.bound(r);
      ObjectNode g = root.putObject("gate");
      g.put("judged", b.judged());
      g.put("acceptedCorrect", b.acceptedCorrect());
      g.put("acceptedWrong", b.acceptedWrong());
      g.put("abstained", b.abstained());
      g.put("coverage", b.coverage());
      g.put("harmBound", b.harmBound());
      g.put("harmRate", b.harmRate());
    }
    ArrayNode images = root.putArray("images");
    for (Certificate c : r.certificates()) {
      images.add(image(c));
    }
    return root;
  }

  private static ObjectNode image(Certificate c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("index", c.index());
    o.put("id", c.id());
    o.put("label", c.label());
    o.put("modelPrediction", c.modelPrediction());
    o.put("defendedPrediction", c.defendedPrediction());
    o.put("certified", c.certified());
    ArrayNode proving = o.putArray("provingMasks");
    c.provingMasks().forEach(proving::add);
    if (c.uncoveredRegion() != null) {
      o.put("uncoveredRegion", c.uncoveredRegion());
    }
    ArrayNode masks = o.putArray("disagreeingMasks");
    c.disagreeingMasks().forEach(masks::add);
    ArrayNode pairs = o.putArray("disagreeingPairs");
    for (Certificate.Pair p : c.disagreeingPairs()) {
      pairs.addArray().add(p.a()).add(p.b()).add(p.predicted());
    }
    o.put("complete", c.complete());
    o.put("passes", c.passes());
    if (c.gate() != null) {
      ObjectNode g = o.putObject("gate");
      g.put("accepted", c.gate().accepted());
      ArrayNode harm = g.putArray("harmClasses");
      c.gate().harmClasses().forEach(harm::add);
    }
    return o;
  }

  /**
   * Writes {@code r} to {@code file}, atomically.
   *
   * @throws InputException when the folder does not exist or cannot be written
   */
  public static void write(CertificationResult r, Path file) {
    ImageFiles.writeAtomically(file, out -> JSON.writeValue(out, toJson(r)));
  }

}
