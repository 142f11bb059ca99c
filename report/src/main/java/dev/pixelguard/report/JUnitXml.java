package dev.pixelguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelguard.data.ImageFiles;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A JUnit-XML summary of an evaluation, so CI servers show robustness next to unit tests: one test case
 * per attacked image (failed when the attack flipped it) and, with a threshold, one for the robustness
 * gate. Written with the JDK's StAX writer, which escapes everything.
 */
public final class JUnitXml {
  private JUnitXml() {}

  /**
   * @param failUnder the gate's threshold on robust accuracy in [0, 1], or null for no gate case
   */
  public static void write(JsonNode results, Double failUnder, Path file) {
    String model = results.path("model").path("name").asText();
    JsonNode s = results.path("summary");
    int cases = 0;
    int failures = 0;
    for (JsonNode im : results.path("images")) {
      if (im.path("attacked").asBoolean()) {
        cases++;
        failures += im.path("success").asBoolean() ? 1 : 0;
      }
    }
    double robust = s.path("robustAccuracy").asDouble(Double.NaN);
    boolean gateFails = failUnder != null && !(robust >= failUnder);
    if (failUnder != null) {
      cases++;
      failures += gateFails ? 1 : 0;
    }
    int total = cases;
    int failed = failures;
    ImageFiles.writeAtomically(file, out -> {
      try {
        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", "pixelguard robustness: " + model);
        x.writeAttribute("tests", Integer.toString(total));
        x.writeAttribute("failures", Integer.toString(failed));
        x.writeAttribute("errors", "0");
        x.writeAttribute("skipped", "0");
        x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", s.path("seconds").asDouble()));
        x.writeCharacters("\n");
        if (failUnder != null) {
          x.writeStartElement("testcase");
          x.writeAttribute("classname", "pixelguard.gate");
          x.writeAttribute("name", String.format(Locale.ROOT, "robust accuracy >= %.3f", failUnder));
          if (gateFails) {
            x.writeStartElement("failure");
            x.writeAttribute("message", String.format(Locale.ROOT, "robust accuracy %.3f is below %.3f", robust, failUnder));
            x.writeEndElement();
          }
          x.writeEndElement();
          x.writeCharacters("\n");
        }
        for (JsonNode im : results.path("images")) {
          if (!im.path("attacked").asBoolean()) {
            continue;
          }
          x.writeStartElement("testcase");
          x.writeAttribute("classname", "pixelguard.images");
          x.writeAttribute("name", im.path("id").asText() + " resists");
          x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", im.path("seconds").asDouble()));
          if (im.path("success").asBoolean()) {
            StringBuilder px = new StringBuilder();
            for (JsonNode p : im.path("pixels")) {
              px.append(" (").append(p.get("x").asInt()).append(',').append(p.get("y").asInt()).append(")->")
                  .append(p.get("after"));
            }
            x.writeStartElement("failure");
            String how = im.has("linf")
                ? String.format(Locale.ROOT, "by a perturbation of L-inf %.4f, L2 %.4f", im.path("linf").asDouble(),
                    im.path("l2").asDouble())
                : String.format(Locale.ROOT, "by%s in %d queries", px, im.path("queries").asLong());
            x.writeAttribute("message", String.format(Locale.ROOT, "flipped from class %d to %d (confidence %.3f) %s",
                im.path("cleanClass").asInt(), im.path("adversarialClass").asInt(),
                im.path("adversarialConfidence").asDouble(), how));
            x.writeEndElement();
          }
          x.writeEndElement();
          x.writeCharacters("\n");
        }
        x.writeEndElement();
        x.writeEndDocument();
        x.flush();
      } catch (XMLStreamException e) {
        throw new java.io.IOException("XML output failed: " + e.getMessage(), e);
      }
    });
  }

}
