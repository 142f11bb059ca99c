package dev.pixelguard.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** Checks of a report page opened in headless Chromium that every report test makes. */
final class Browsers {
  private Browsers() {}

  /**
   * The page wrote no warning or error to the console, and every request it made is the file itself or a
   * {@code data:} URI: it works from disk with no network.
   */
  static void assertQuietAndOffline(ChromeDriver driver) throws java.io.IOException {
    List<String> severe = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
        severe.add(e.getMessage());
      }
    }
    assertTrue(severe.isEmpty(), "console: " + severe);
    ObjectMapper json = new ObjectMapper();
    List<String> urls = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
      JsonNode m = json.readTree(e.getMessage()).path("message");
      if (m.path("method").asText().equals("Network.requestWillBeSent")
          && m.path("params").path("documentURL").asText().startsWith("file:")) {
        urls.add(m.path("params").path("request").path("url").asText());
      }
    }
    assertFalse(urls.isEmpty(), "the performance log records requests");
    for (String u : urls) {
      assertTrue(u.startsWith("file:") || u.startsWith("data:"), "network request to " + u);
    }
  }
}
