package dev.pixelguard.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteSettingsTest {
  @Test
  void retriesLastAMinuteByDefaultAndCountNothing() {
    assertEquals(Duration.ofSeconds(60), RemoteSettings.from(Map.of()).retryFor());
    assertEquals(-1, RemoteSettings.from(Map.of()).retries());
    assertEquals(3, RemoteSettings.from(Map.of("retries", "3")).retries());
  }

  @Test
  void theRetryTimeIsSecondsOrANumberWithAUnit() {
    for (var c : Map.of("90", 90_000L, "60s", 60_000L, "1.5m", 90_000L, "500ms", 500L, "1h", 3_600_000L, "0", 0L,
        "2 S", 2_000L).entrySet()) {
      assertEquals(c.getValue(), RemoteSettings.from(Map.of("retry-for", c.getKey())).retryFor().toMillis(), c.getKey());
    }
    for (String bad : new String[] {"soon", "-1s", "5 minutes", "25h", ""}) {
      InputException e = assertThrows(InputException.class, () -> RemoteSettings.from(Map.of("retry-for", bad)), bad);
      assertTrue(e.getMessage().startsWith("remote option retry-for must be"), e.getMessage());
    }
  }
}
