package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.certify.Certificate;
import dev.pixelguard.certify.CertificationResult;
import dev.pixelguard.certify.CertifiedGate;
import dev.pixelguard.certify.Certifier;
import dev.pixelguard.certify.Ensemble;
import dev.pixelguard.certify.MaskingGate;
import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.data.Split;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Issue 29's certified gate on ResNet-20 + ResNet-32 (one ensemble, the mean of their probabilities): its figures and
 * proven harm bound on images 0 to N-1 of the report images (0-465), then the adaptive guided search with the harm
 * goal through the gate ({@link MaskingGate}) on the first {@code -Dattack.images} (6) images it accepts correctly,
 * at {@code -Dguided.budget} (200) queries each (every query costs the ensemble up to 666 masked passes). Any harm
 * found must lie within the bound: the images the bound names. Arguments: {@code SHARED [N=466] [MASKS=lattice:6]
 * [FILL=biharmonic]}.
 */
public final class CertifiedGateBenchmark {
  private CertifiedGateBenchmark() {}

  public static void main(String[] args) {
    Path shared = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 466;
    String masks = args.length > 2 ? args[2] : "lattice:6";
    String fill = args.length > 3 ? args[3] : "biharmonic";
    int attackImages = Integer.getInteger("attack.images", 6);
    int budget = Integer.getInteger("guided.budget", 200);
    Dataset cifar = Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    Dataset report = cifar.range(new Split.Range(0, Math.min(465, n - 1)));
    try (Ensemble pair = Ensemble.of(List.of(
        OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT),
        OnnxClassifier.load(shared.resolve("models/cifar10-resnet32.onnx"), ModelSpec.DEFAULT)))) {
      Certifier certifier = Certifier.of(pair).masks(masks).fill(fill);
      CertificationResult r = certifier.certify(report);
      CertifiedGate.Bound b = CertifiedGate.bound(r);
      System.out.printf(Locale.ROOT, "ensemble %s, %s, %s on %d images: model %.1f%%, defended %.1f%%, certified "
              + "%.1f%% (%d), %.0f passes per image, %.0f s%n", pair.info().name(), masks, fill, r.summary().images(),
          100 * r.summary().modelAccuracy(), 100 * r.summary().defendedAccuracy(), 100 * r.summary().certifiedAccuracy(),
          r.summary().certified(), r.summary().passesPerImage(), r.summary().seconds());
      System.out.printf(Locale.ROOT, "certified gate: coverage %.1f%% (%d accepted correct, %d accepted wrong, %d "
              + "abstained), proven harm bound %d of %d (%.2f%%)%n", 100 * b.coverage(), b.acceptedCorrect(),
          b.acceptedWrong(), b.abstained(), b.harmBound(), b.judged(), 100 * b.harmRate());
      Set<String> harmable = new HashSet<>();
      List<LabeledImage> attacked = new ArrayList<>();
      for (Certificate c : r.certificates()) {
        if (c.gate().harmable()) {
          harmable.add(c.id());
        }
        if (c.gate().accepted() == c.label() && attacked.size() < attackImages) {
          attacked.add(report.get(c.index()));
        }
      }
      System.out.println("harmable images (the bound): " + harmable);
      MaskingGate gate = certifier.gate();
      long t0 = System.nanoTime();
      EvaluationResult e = Evaluation.of(gate, new Dataset("accepted correctly", attacked, cifar.classNames()),
              GuidedPixelAttack.builder().budget(budget).build())
          .targets(new Targets.Harm(gate.info().abstainClass(), null)).execution(new Execution(400, 4)).run();
      int harmed = 0;
      int outside = 0;
      for (AttackResult a : e.attempts()) {
        if (a.success()) {
          harmed++;
          outside += harmable.contains(a.imageId()) ? 0 : 1;
          System.out.println("harmed " + a.imageId() + (harmable.contains(a.imageId()) ? " (within the bound)"
              : " OUTSIDE THE BOUND"));
        }
      }
      System.out.printf(Locale.ROOT, "adaptive guided search, harm goal, %d queries per image, through the gate on %d "
              + "images it accepts correctly (%d of them within the bound): harmed %d, outside the bound %d; %,d "
              + "queries in %.0f s%n", budget, e.attempts().size(),
          attacked.stream().filter(x -> harmable.contains(x.id())).count(), harmed, outside,
          e.summary().attackQueries(), (System.nanoTime() - t0) / 1e9);
    }
  }
}
