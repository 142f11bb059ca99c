package dev.pixelguard.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.gradient.GradientAttack;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.djl.engine.Engines;
import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.image.ImageBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Trains one of pixelguard's networks with DJL (PyTorch engine): Adam, softmax cross-entropy, shuffled
 * mini-batches, optionally changed by an {@link Augmentation} (certify's mask augmentation), standard or
 * adversarial ({@link AdversarialTraining}: FGSM mix or PGD, the examples made
 * each step against the current weights by pixelguard's own {@link Pgd}). After every epoch the model, with
 * the number of epochs done and the training time in its provenance, is written to the checkpoint file, so
 * an interrupted run resumes from the last finished epoch.
 *
 * <p>Reproducible: the shuffle of epoch e and PyTorch's generator (dropout) are seeded from
 * {@code seed} and e, so a resumed run sees the same batches as an uninterrupted one. Adam's moment
 * estimates are not stored in the checkpoint and restart from zero on resume.
 */
public final class NetworkTrainer {

  /**
   * A change of each training batch before its step (and before any adversarial example is made from it), such
   * as certify's mask augmentation: random masks of the family a certificate uses, Cutout-like.
   */
  public interface Augmentation {
    /** No change. */
    Augmentation NONE = new Augmentation() {
      @Override
      public void apply(float[] batch, int images, int channels, int height, int width, long seed) {}

      @Override
      public String describe() {
        return "none";
      }
    };

    /**
     * Changes {@code batch} (NCHW, values in [0, 1]) in place.
     *
     * @param seed the batch's seed, from the run's seed, the epoch and the batch: a resumed run sees the same
     */
    void apply(float[] batch, int images, int channels, int height, int width, long seed);

    /** What it does, for the model's provenance, e.g. "mask lattice:6,biharmonic,0.5". */
    String describe();
  }

  /**
   * @param epochs total epochs, at least 1
   * @param batchSize images per step, at least 1
   * @param learningRate Adam's step size, positive
   * @param seed seed of shuffling, initialisation, dropout and the adversarial examples' random starts
   * @param adversarial what each step trains on
   * @param augmentation the change of each batch before its step
   */
  public record Settings(int epochs, int batchSize, float learningRate, long seed, AdversarialTraining adversarial,
      Augmentation augmentation) {
    /** Standard training. */
    public Settings(int epochs, int batchSize, float learningRate, long seed) {
      this(epochs, batchSize, learningRate, seed, AdversarialTraining.STANDARD_TRAINING);
    }

    /** No augmentation. */
    public Settings(int epochs, int batchSize, float learningRate, long seed, AdversarialTraining adversarial) {
      this(epochs, batchSize, learningRate, seed, adversarial, Augmentation.NONE);
    }

    public Settings {
      java.util.Objects.requireNonNull(adversarial);
      java.util.Objects.requireNonNull(augmentation);
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

  /**
   * One finished epoch. Accuracies in [0, 1].
   *
   * @param trainLoss mean training loss (for FGSM mix, the weighted mix)
   * @param trainAccuracy accuracy on what was trained on: the clean images, or for PGD the adversarial ones
   * @param testAccuracy clean accuracy on the test data, NaN without test data
   * @param robustTestAccuracy adversarial training only: accuracy on the first {@link #ROBUST_CHECK_IMAGES}
   *     test images under the training attack (PGD with the same epsilon and steps; for FGSM mix, FGSM); NaN
   *     otherwise
   * @param seconds wall time of the epoch, including the test passes
   */
  public record EpochReport(int epoch, double trainLoss, double trainAccuracy, double testAccuracy,
      double robustTestAccuracy, double seconds) {}

  /** Test images on which adversarial training measures robust accuracy after each epoch. */
  public static final int ROBUST_CHECK_IMAGES = 1000;

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
    AdversarialTraining adv = settings.adversarial();
    // Inference-mode view of the network being trained, for making adversarial examples. Not closed: closing it
    // would close the model.
    NetworkClassifier view = new NetworkClassifier(net, net.architecture());
    double secondsBefore = net.provenance().path("trainingSeconds").asDouble(0);
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
          dev.pixelguard.Stop.check(); // between two steps, never inside libtorch
          int from = b * settings.batchSize();
          int m = Math.min(settings.batchSize(), n - from);
          float[] x = new float[m * per];
          float[] y = new float[m];
          for (int i = 0; i < m; i++) {
            LabeledImage li = train.images().get(order[from + i]);
            li.image().writeUnit(x, i * per);
            y[i] = li.label();
          }
          settings.augmentation().apply(x, m, c, h, w, settings.seed() * 7_000_003L + (long) epoch * batches + b);
          float[] xAdv = null;
          if (adv.adversarial()) {
            xAdv = adversarial(view, adv.attack(), settings.seed() * 1_000_003L + (long) epoch * batches + b, x, y, m,
                c, h, w);
            zeroGradients(net);
          }
          float loss;
          try (NDManager sub = trainer.getManager().newSubManager();
              GradientCollector gc = trainer.newGradientCollector()) {
            NDArray ys = sub.create(y, new Shape(m));
            float[] trained = adv.method() == AdversarialTraining.Method.PGD ? xAdv : x;
            NDList pred = trainer.forward(new NDList(sub.create(trained, new Shape(m, c, h, w))));
            NDArray l = trainer.getLoss().evaluate(new NDList(ys), pred);
            if (adv.method() == AdversarialTraining.Method.FGSM) {
              NDList predAdv = trainer.forward(new NDList(sub.create(xAdv, new Shape(m, c, h, w))));
              NDArray la = trainer.getLoss().evaluate(new NDList(ys), predAdv);
              l = l.mul((float) adv.cleanWeight()).add(la.mul((float) (1 - adv.cleanWeight())));
            }
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
        double robustAcc = Double.NaN;
        if (test != null) {
          testAcc = CleanPass.accuracy(view, test, 500);
          if (adv.adversarial()) {
            robustAcc = robustAccuracy(view, test.limit(ROBUST_CHECK_IMAGES), adv);
          }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        EpochReport r = new EpochReport(epoch + 1, lossSum / n, (double) correct / n, testAcc, robustAcc, seconds);
        reports.add(r);
        var prov = net.provenance();
        secondsBefore += seconds;
        prov.put("trainingSeconds", Math.round(secondsBefore * 10) / 10.0);
        prov.set("training", adv.toJson());
        if (settings.augmentation() != Augmentation.NONE) {
          prov.put("augmentation", settings.augmentation().describe());
        }
        if (!Double.isNaN(robustAcc)) {
          prov.put("robustTestAccuracy", robustAcc);
          prov.put("robustTestImages", Math.min(ROBUST_CHECK_IMAGES, test.size()));
        }
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

  /**
   * Adversarial versions of a batch (float NCHW in [0, 1]) against the network's current weights; each image's
   * random start comes from its own seed, drawn from {@code batchSeed}.
   */
  private static float[] adversarial(NetworkClassifier view, GradientAttack attack, long batchSeed, float[] x,
      float[] y, int m, int c, int h, int w) {
    List<Goal> goals = new ArrayList<>(m);
    long[] seeds = new long[m];
    SplittableRandom r = new SplittableRandom(batchSeed);
    for (int i = 0; i < m; i++) {
      goals.add(new Goal.Untargeted((int) y[i]));
      seeds[i] = r.nextLong();
    }
    return attack.perturb(view, ImageBatch.wrap(m, c, h, w, x.clone()), goals, seeds).values();
  }

  /** Making adversarial examples back-propagates into the weights' gradients too; the step must not see that. */
  private static void zeroGradients(NetworkModel net) {
    for (var p : net.block().getParameters()) {
      NDArray a = p.getValue().getArray();
      if (a.hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) a);
      }
    }
  }

  /** Accuracy under the training attack (the first iterate that fools counts), batches of 500. */
  static double robustAccuracy(NetworkClassifier view, Dataset test, AdversarialTraining adv) {
    return Evaluation.of(view, test, adv.evaluationAttack()).execution(new Execution(500, 1)).run().summary()
        .accuracyUnderAttack();
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
