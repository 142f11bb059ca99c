package dev.pixelguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Closing waits for the calls in flight and refuses later ones. */
class EngineCallsTest {
  @Test
  void closeWaitsForTheCallInFlightAndLaterCallsAreRefused() throws Exception {
    EngineCalls calls = new EngineCalls("m");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicBoolean freed = new AtomicBoolean();
    AtomicBoolean freedUnderTheCall = new AtomicBoolean();
    Thread call = new Thread(() -> calls.run(() -> {
      inside.countDown();
      try {
        finish.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      freedUnderTheCall.set(freed.get());
      return 1;
    }));
    call.start();
    assertTrue(inside.await(10, TimeUnit.SECONDS));
    Thread closer = new Thread(() -> calls.close(() -> freed.set(true)));
    closer.start();
    closer.join(300);
    assertTrue(closer.isAlive() && !freed.get(), "close waits while a call runs");
    finish.countDown();
    closer.join(10_000);
    call.join(10_000);
    assertTrue(freed.get());
    assertFalse(freedUnderTheCall.get(), "the engine was freed after the call, not under it");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> calls.run(() -> 2));
    assertEquals("model m is closed", e.getMessage());
    calls.close(() -> freed.set(false));
    assertTrue(freed.get(), "closed once");
  }
}
