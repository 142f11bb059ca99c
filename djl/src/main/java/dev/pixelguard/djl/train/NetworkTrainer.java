package dev.pixelguard.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.djl.Engines;
import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.eval.CleanPass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains one of pixelguard's networks with DJL (PyTorch engine): Adam, softmax cross-entropy, shuffled
 * mini-batches. After every epoch the model, with the number of epochs done in its provenance, is written
 * to the checkpoint file, so an interrupted run resumes from the last finished epoch.
 *
 * <p>Reproducible: the shuffle of epoch e and PyTorch's generator (dropout) are seeded from
 * {@code seed} and e, so a resumed run sees the same batches as an uninterrupted one. Adam's moment
 * estimates are not stored in the checkpoint and restart from zero on resume.
 */
public final class NetworkTrainer {

  /**
   * @param epochs total epochs, at least 1
   * @param batchSize images per step, at least 1
   * @param learningRate Adam's step size, positive
   * @param seed seed of shuffling, initialisation and dropout
   */
  public record Settings(int epochs, int batchSize, float learningRate, long seed) {
    public Settings {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
      }
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learning rate must be positive, was " + learningRate);
      }
    }
  }

  /** One finished epoch. Accuracies in [0, 1]; test accuracy is NaN without test data. */
  public record EpochReport(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {}

  /** Progress callbacks, on the training thread. */
  public interface Listener {
    default void batch(int epoch, int batch, int batches, float loss) {}

    default void epoch(EpochReport report) {}
  }

  private NetworkTrainer() {}

  /**
   * Trains {@code net} in place from epoch {@code provenance.epochsDone} (0 for a new network) up to
   * {@code settings.epochs()}.
   *
   * @param test held-out data for the accuracy printed after each epoch, or null
   * @param checkpoint where to write the model after every epoch, or null
   * @return the epochs run now
   */
  public static List<EpochReport> train(NetworkModel net, Dataset train, Dataset test, Settings settings,
      Path checkpoint, Listener listener) {
    int c = net.inputShape()[0];
    int h = net.inputShape()[1];
    int w = net.inputShape()[2];
    int per = c * h * w;
    int start = net.provenance().path("epochsDone").asInt(0);
    List<EpochReport> reports = new ArrayList<>();
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings.learningRate())).build());
    try (Trainer trainer = net.model().newTrainer(config)) {
      // The block's parameters already hold the model's weights (new or resumed); initialize() keeps
      // initialised parameters and only marks them as needing gradients.
      trainer.initialize(new Shape(1, c, h, w));
      int n = train.size();
      int batches = (n + settings.batchSize() - 1) / settings.batchSize();
      for (int epoch = start; epoch < settings.epochs(); epoch++) {
        long t0 = System.nanoTime();
        Engines.pytorch().setRandomSeed((int) (settings.seed() * 1_000_003L + epoch));
        int[] order = shuffled(n, new Random(settings.seed() * 31 + epoch));
        double lossSum = 0;
        int correct = 0;
        for (int b = 0; b < batches; b++) {
          int from = b * settings.batchSize();
          int m = Math.min(settings.batchSize(), n - from);
          float[] x = new float[m * per];
          float[] y = new float[m];
          for (int i = 0; i < m; i++) {
            LabeledImage li = train.images().get(order[from + i]);
            li.image().writeUnit(x, i * per);
            y[i] = li.label();
          }
          float loss;
          try (NDManager sub = trainer.getManager().newSubManager();
              GradientCollector gc = trainer.newGradientCollector()) {
            NDArray xs = sub.create(x, new Shape(m, c, h, w));
            NDArray ys = sub.create(y, new Shape(m));
            NDList pred = trainer.forward(new NDList(xs));
            NDArray l = trainer.getLoss().evaluate(new NDList(ys), pred);
            gc.backward(l);
            loss = l.getFloat();
            long[] top = pred.singletonOrThrow().argMax(1).toLongArray();
            for (int i = 0; i < m; i++) {
              if (top[i] == (long) y[i]) {
                correct++;
              }
            }
          }
          trainer.step();
          lossSum += loss * m;
          listener.batch(epoch + 1, b + 1, batches, loss);
        }
        double testAcc = Double.NaN;
        if (test != null) {
          testAcc = CleanPass.accuracy(new NetworkClassifier(net, net.architecture()), test, 500);
        }
        EpochReport r = new EpochReport(epoch + 1, lossSum / n, (double) correct / n, testAcc,
            (System.nanoTime() - t0) / 1e9);
        reports.add(r);
        var prov = net.provenance();
        prov.put("epochsDone", epoch + 1);
        prov.put("epochs", settings.epochs());
        prov.put("batchSize", settings.batchSize());
        prov.put("learningRate", settings.learningRate());
        prov.put("seed", settings.seed());
        prov.put("optimizer", "Adam");
        prov.put("trainImages", n);
        prov.put("trainData", train.name());
        if (test != null) {
          prov.put("testData", test.name());
          prov.put("testImages", test.size());
          prov.put("testAccuracy", testAcc);
        }
        if (checkpoint != null) {
          net.save(checkpoint);
        }
        listener.epoch(r);
      }
    }
    return reports;
  }

  private static int[] shuffled(int n, Random r) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
