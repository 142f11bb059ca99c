package dev.pixelguard.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class DifferentialEvolutionTest {

  static double sphere(double[] x) {
    return Arrays.stream(x).map(v -> v * v).sum();
  }

  static double rastrigin(double[] x) {
    double s = 10 * x.length;
    for (double v : x) {
      s += v * v - 10 * Math.cos(2 * Math.PI * v);
    }
    return s;
  }

  static double ackley(double[] x) {
    double a = 0;
    double b = 0;
    for (double v : x) {
      a += v * v;
      b += Math.cos(2 * Math.PI * v);
    }
    int n = x.length;
    return -20 * Math.exp(-0.2 * Math.sqrt(a / n)) - Math.exp(b / n) + 20 + Math.E;
  }

  static DifferentialEvolution minimise(DifferentialEvolution de, ToDoubleFunction<double[]> f) {
    while (!de.isDone()) {
      double[][] xs = de.ask();
      double[] fit = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        fit[i] = f.applyAsDouble(xs[i]);
      }
      de.tell(fit);
    }
    return de;
  }

  static double[] bounds(int d, double v) {
    double[] b = new double[d];
    Arrays.fill(b, v);
    return b;
  }

  @Test
  void findsTheMinimumOfTheSphere() {
    var de = minimise(DifferentialEvolution.builder(bounds(5, -5), bounds(5, 5)).population(40).maxIterations(300)
        .crossover(0.9).seed(3).build(), DifferentialEvolutionTest::sphere);
    assertTrue(de.bestFitness() < 1e-8, "sphere minimum 0, got " + de.bestFitness());
    for (double v : de.best()) {
      assertEquals(0.0, v, 1e-4);
    }
  }

  @Test
  void findsTheGlobalMinimumOfRastrigin() {
    var de = minimise(DifferentialEvolution.builder(bounds(2, -5.12), bounds(2, 5.12)).population(50)
        .maxIterations(300).crossover(0.9).seed(11).build(), DifferentialEvolutionTest::rastrigin);
    assertTrue(de.bestFitness() < 1e-6, "Rastrigin global minimum 0 at the origin, got " + de.bestFitness()
        + " at " + Arrays.toString(de.best()));
  }

  @Test
  void findsTheGlobalMinimumOfAckley() {
    var de = minimise(DifferentialEvolution.builder(bounds(3, -32.768), bounds(3, 32.768)).population(60)
        .maxIterations(400).crossover(0.9).seed(5).build(), DifferentialEvolutionTest::ackley);
    assertTrue(de.bestFitness() < 1e-5, "Ackley global minimum 0, got " + de.bestFitness());
  }

  @Test
  void bestOneConvergesOnTheSphereToo() {
    var de = minimise(DifferentialEvolution.builder(bounds(4, -5), bounds(4, 5)).population(30).maxIterations(200)
        .strategy(DifferentialEvolution.Strategy.BEST_1).crossover(0.7).seed(2).build(),
        DifferentialEvolutionTest::sphere);
    assertTrue(de.bestFitness() < 1e-8, "got " + de.bestFitness());
  }

  @Test
  void theSameSeedGivesTheSameSearchAndAnotherSeedDoesNot() {
    var a = minimise(DifferentialEvolution.builder(bounds(2, -5), bounds(2, 5)).population(10).maxIterations(5)
        .seed(42).build(), DifferentialEvolutionTest::rastrigin);
    var b = minimise(DifferentialEvolution.builder(bounds(2, -5), bounds(2, 5)).population(10).maxIterations(5)
        .seed(42).build(), DifferentialEvolutionTest::rastrigin);
    var c = minimise(DifferentialEvolution.builder(bounds(2, -5), bounds(2, 5)).population(10).maxIterations(5)
        .seed(43).build(), DifferentialEvolutionTest::rastrigin);
    assertArrayEquals(a.best(), b.best());
    assertTrue(!Arrays.equals(a.best(), c.best()));
  }

  @Test
  void candidatesStayWithinBoundsAndIterationsAreCounted() {
    var de = DifferentialEvolution.builder(new double[] {0, 10}, new double[] {1, 20}).population(8)
        .maxIterations(4).mutation(2.0).seed(1).build();
    int asks = 0;
    while (!de.isDone()) {
      double[][] xs = de.ask();
      asks++;
      for (double[] x : xs) {
        assertTrue(x[0] >= 0 && x[0] <= 1 && x[1] >= 10 && x[1] <= 20, Arrays.toString(x));
      }
      de.tell(Arrays.stream(xs).mapToDouble(x -> x[0] + x[1]).toArray());
    }
    assertEquals(4, asks);
    assertEquals(32, de.evaluations());
  }

  @Test
  void unevaluatedTrialsNeverReplaceTheirParents() {
    var de = DifferentialEvolution.builder(bounds(1, -1), bounds(1, 1)).population(4).maxIterations(3).seed(1).build();
    double[][] init = de.ask();
    de.tell(new double[] {4, 3, 2, 1});
    de.ask();
    de.tell(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY});
    assertEquals(1.0, de.bestFitness());
    assertArrayEquals(init[3], de.best());
    assertEquals(4, de.evaluations());
  }

  @Test
  void earlyStopAtATargetFitness() {
    var de = minimise(DifferentialEvolution.builder(bounds(3, -5), bounds(3, 5)).population(20).maxIterations(1000)
        .crossover(0.9).targetFitness(1e-3).seed(8).build(), DifferentialEvolutionTest::sphere);
    assertTrue(de.bestFitness() <= 1e-3);
    assertTrue(de.iterations() < 200, "stopped early after " + de.iterations());
  }

  @Test
  void settingsAreValidatedEarly() {
    var b = DifferentialEvolution.builder(bounds(1, 0), bounds(1, 1));
    assertThrows(IllegalArgumentException.class, () -> b.population(3));
    assertThrows(IllegalArgumentException.class, () -> b.mutation(0));
    assertThrows(IllegalArgumentException.class, () -> b.crossover(1.5));
    assertThrows(IllegalArgumentException.class,
        () -> DifferentialEvolution.builder(new double[] {1}, new double[] {0}));
    var de = b.build();
    de.ask();
    assertThrows(IllegalStateException.class, de::ask);
  }
}
