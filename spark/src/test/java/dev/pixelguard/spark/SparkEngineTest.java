package dev.pixelguard.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.engine.EvaluationEngine;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.model.Models;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine against the plan run here, on real fixtures (ResNet-20, CIFAR-10): the same outcomes image for
 * image embedded (local[2]), on two separate executor JVMs (local-cluster), when a task fails half-way and Spark
 * retries it, and for a plan that attacks a gate (three evaluations).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkEngineTest {
  private static final Path SHARED = Path.of(System.getProperty("pixelguard.shared", "../../shared"));

  @TempDir Path dir;
  private EvaluationPlan plan;
  private EvaluationResult local;

  @BeforeAll
  void runHere() throws Exception {
    Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
    plan = EvaluationPlan.builder(new EvaluationPlan.Model(Models.request(SHARED.resolve(
            "models/cifar10-resnet20.onnx").toString())),
        EvaluationPlan.DataSource.of(SHARED.resolve("data/cifar10/test_batch_subset.bin").toString()).limit(8),
        GuidedPixelAttack.builder().budget(1_000).build()).seed(3).build();
    try (EvaluationPlan.Opened run = plan.open()) {
      local = run.evaluation().run();
    }
  }

  @AfterEach
  void noSeam() {
    SparkEngine.afterAttempt = null;
  }

  private List<EvaluationResult> spark(EvaluationPlan p, Map<String, String> settings, JournalFile journal,
      StringWriter progress) {
    try (EvaluationPlan.Opened run = p.open()) {
      return EvaluationEngine.named("spark").run(run, settings, part -> journal, new PrintWriter(progress, true),
          null);
    }
  }

  @Test
  void embeddedAndTwoExecutorJvmsGiveTheLocalOutcomes() {
    assertSame(local, spark(plan, Map.of("master", "local[2]", "partitions", "3"), null, new StringWriter()).get(0));
    StringWriter progress = new StringWriter();
    assertSame(local, spark(plan, Map.of("master", "local-cluster[2,1,1024]"), null, progress).get(0));
    assertTrue(progress.toString().contains("on executor 0") && progress.toString().contains("on executor 1"),
        "both executor JVMs ran partitions:\n" + progress);
  }

  @Test
  void aTaskThatFailsHalfWayIsRetriedFromItsJournalWithoutDoublingAnImage() throws Exception {
    Set<String> firstTry = ConcurrentHashMap.newKeySet();
    List<String> retried = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failures = new AtomicInteger();
    SparkEngine.afterAttempt = (task, a) -> {
      if (task.partitionId() != 1) {
        return;
      }
      if (task.attemptNumber() == 0) {
        firstTry.add(a.imageId());
        if (firstTry.size() == 2) {
          failures.incrementAndGet();
          throw new IllegalStateException("executor lost (test)");
        }
      } else {
        retried.add(a.imageId());
      }
    };
    EvaluationPlan oneAtATime = EvaluationPlan.builder(plan.subject(), plan.data(), plan.attack()).seed(plan.seed())
        .batching(new EvaluationPlan.Batching(null, 1, 1)).build();
    Path file = dir.resolve("r.json.journal");
    EvaluationResult r;
    try (EvaluationPlan.Opened run = oneAtATime.open();
        JournalFile journal = JournalFile.open(file, JournalFile.settings(run.blankResults().get(0)), false)) {
      // local[2,2]: two cores, a task may fail once
      r = EvaluationEngine.named("spark").run(run, Map.of("master", "local[2,2]", "partitions", "2"), part -> journal,
          null, null).get(0);
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(r.attempts().size() + 1, lines.size(), "the run's journal holds every attempt once: " + lines);
    assertEquals(1, failures.get(), "the first try of partition 1 failed");
    assertSame(local, r);
    // The retry resumed the two attempts its first try had journaled (they come first, unchanged) and ran the rest
    assertTrue(retried.size() > 2 && retried.subList(0, 2).containsAll(firstTry), retried + " after " + firstTry);
    assertEquals(retried.size(), Set.copyOf(retried).size(), "no image twice: " + retried);
  }

  @Test
  void badSettingsAreRefusedInOneLineBeforeSparkStarts() {
    for (Map<String, String> bad : List.of(Map.of("partitions", "0"), Map.of("master", "bogus://x"),
        Map.of("master", "local[0]"), Map.of("master", "local[abc]"), Map.of("partitions", "two"),
        Map.of("masters", "local"))) {
      InputException e = assertThrows(InputException.class, () -> spark(plan, bad, null, new StringWriter()));
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  /** Every image's outcome equal, field for field, but the time each attempt took. */
  static void assertSame(EvaluationResult expected, EvaluationResult actual) {
    assertEquals(expected.images().size(), actual.images().size());
    assertEquals(expected.settings(), actual.settings());
    assertEquals(expected.targets(), actual.targets());
    assertEquals(expected.seed(), actual.seed());
    assertEquals(expected.model(), actual.model());
    int attempts = 0;
    for (int i = 0; i < expected.images().size(); i++) {
      ImageOutcome a = expected.images().get(i);
      ImageOutcome b = actual.images().get(i);
      assertEquals(a.id(), b.id());
      assertEquals(a.skipped(), b.skipped());
      assertEquals(a.clean().top(), b.clean().top());
      assertEquals(a.attempts().size(), b.attempts().size(), a.id());
      for (int t = 0; t < a.attempts().size(); t++) {
        AttackResult x = a.attempts().get(t);
        AttackResult y = b.attempts().get(t);
        assertEquals(x.success(), y.success(), a.id());
        assertEquals(x.seed(), y.seed(), a.id());
        assertEquals(x.queries(), y.queries(), a.id());
        assertEquals(x.adversarialClass(), y.adversarialClass(), a.id());
        assertArrayEquals(x.adversarialValues(), y.adversarialValues(), a.id());
        attempts++;
      }
    }
    assertTrue(attempts >= 4, "most of the images were attacked: " + attempts);
    assertEquals(expected.summary().successes(), actual.summary().successes());
    assertEquals(expected.totals().queries(), actual.totals().queries());
  }
}
