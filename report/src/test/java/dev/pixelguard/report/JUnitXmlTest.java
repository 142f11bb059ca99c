package dev.pixelguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.testing.Outcomes;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The JUnit file says what the typed results say: one case per attempt, one for the gate. */
class JUnitXmlTest {
  @TempDir Path dir;

  static Element read(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  @Test
  void casesFailuresAndTheGateAgreeWithTheSummary() throws Exception {
    Image a = Outcomes.image(0, 0, 0, 0);
    // Two attacked images: one flipped by one pixel, one resisting; robust accuracy 0.5.
    EvaluationResult r = Outcomes.result("guided", Targets.untargeted(), List.of(
        new ImageOutcome(0, "x<&>", 0, Outcomes.prediction(0, 0.9f), null, List.of(Outcomes.attempt("x<&>", a, 0,
            new Goal.Untargeted(0), Outcomes.withPixel(a, 2, 255), Outcomes.prediction(1, 0.7f), 30, 0, 30, null))),
        new ImageOutcome(1, "y", 1, Outcomes.prediction(1, 0.9f), null, List.of(Outcomes.attempt("y", a, 1,
            new Goal.Untargeted(1), Outcomes.withPixel(a, 3, 9), Outcomes.prediction(1, 0.7f), 90, 0, -1, null))),
        new ImageOutcome(2, "z", 2, Outcomes.prediction(0, 0.9f), "misclassified", List.of())));
    Path failing = dir.resolve("fail.xml");
    JUnitXml.write(r, 0.75, failing);
    Element suite = read(failing);
    assertEquals("3", suite.getAttribute("tests"), "two attempts and the gate");
    assertEquals("2", suite.getAttribute("failures"), "one flipped image and the failed gate");
    NodeList cases = suite.getElementsByTagName("testcase");
    Element gate = (Element) cases.item(0);
    assertEquals("pixelguard.gate", gate.getAttribute("classname"));
    assertTrue(((Element) gate.getElementsByTagName("failure").item(0)).getAttribute("message")
        .contains("robust accuracy 0.500 is below 0.750"));
    Element flipped = (Element) cases.item(1);
    assertEquals("x<&> resists", flipped.getAttribute("name"), "names are escaped and read back intact");
    assertTrue(((Element) flipped.getElementsByTagName("failure").item(0)).getAttribute("message")
        .contains("(0,1)->[255] in 30 queries"));
    assertEquals(0, ((Element) cases.item(2)).getElementsByTagName("failure").getLength());
    Path passing = dir.resolve("pass.xml");
    JUnitXml.write(r, 0.5, passing);
    assertEquals("1", read(passing).getAttribute("failures"), "at the threshold the gate passes");
    Path noGate = dir.resolve("none.xml");
    JUnitXml.write(r, null, noGate);
    assertEquals("2", read(noGate).getAttribute("tests"));
  }
}
