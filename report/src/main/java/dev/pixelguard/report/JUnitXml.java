package dev.pixelguard.report;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.image.PixelChange;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A JUnit-XML summary of an evaluation, so CI servers show robustness next to unit tests: one test case
 * per attempt (failed when the attack reached its goal) and, with a threshold, one for the robustness gate.
 * Written with the JDK's StAX writer, which escapes everything.
 */
public final class JUnitXml {
  private JUnitXml() {}

  /**
   * @param failUnder the gate's threshold on robust accuracy in [0, 1], or null for no gate case
   */
  public static void write(EvaluationResult results, Double failUnder, Path file) {
    Summary s = results.summary();
    List<AttackResult> attempts = results.attempts();
    String gateFailure = failUnder == null ? null : s.gateFailure(failUnder);
    boolean gateFails = gateFailure != null;
    int total = attempts.size() + (failUnder != null ? 1 : 0);
    int failed = s.successes() + (gateFails ? 1 : 0);
    ImageFiles.writeAtomically(file, out -> {
      try {
        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", "pixelguard robustness: " + results.model().name());
        x.writeAttribute("tests", Integer.toString(total));
        x.writeAttribute("failures", Integer.toString(failed));
        x.writeAttribute("errors", "0");
        x.writeAttribute("skipped", "0");
        x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", results.totals().seconds()));
        x.writeCharacters("\n");
        if (failUnder != null) {
          x.writeStartElement("testcase");
          x.writeAttribute("classname", "pixelguard.gate");
          x.writeAttribute("name", String.format(Locale.ROOT, "robust accuracy >= %.3f", failUnder));
          if (gateFails) {
            x.writeStartElement("failure");
            x.writeAttribute("message", gateFailure);
            x.writeEndElement();
          }
          x.writeEndElement();
          x.writeCharacters("\n");
        }
        for (AttackResult a : attempts) {
          x.writeStartElement("testcase");
          x.writeAttribute("classname", "pixelguard.images");
          x.writeAttribute("name", a.imageId() + " resists" + (a.goal().target() >= 0 ? " " + a.goal().describe() : ""));
          x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", a.seconds()));
          if (a.success()) {
            x.writeStartElement("failure");
            x.writeAttribute("message", String.format(Locale.ROOT, "flipped from class %d to %d (confidence %.3f) %s",
                a.cleanClass(), a.adversarialClass(), a.adversarialConfidence(), how(a)));
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

  /** "by (3,4)->[0, 0, 0] in 120 queries", or the perturbation's size for a change everywhere. */
  private static String how(AttackResult a) {
    if (a.perturbation().pixels() > 16) {
      return String.format(Locale.ROOT, "by a perturbation of L-inf %.4f, L2 %.4f", a.perturbation().linf(),
          a.perturbation().l2());
    }
    StringBuilder px = new StringBuilder();
    for (PixelChange c : a.changes()) {
      px.append(" (").append(c.x()).append(',').append(c.y()).append(")->")
          .append(java.util.Arrays.toString(c.after()));
    }
    return String.format(Locale.ROOT, "by%s in %d queries", px, a.queries());
  }
}
