package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard attack}: one attack on one image, writing the adversarial PNG. */
@Command(name = "attack", mixinStandardHelpOptions = true,
    description = {"Attack one image by changing at most k pixels (or within --eps with pgd/fgsm), and write the "
        + "adversarial PNG.",
        "It uses only the model's output scores (pixelguard's guided search by default; Su et al.'s differential "
        + "evolution with --method su). Untargeted, it moves the model away from its own prediction; with --target, "
        + "towards a class. On success it writes the adversarial image as a lossless PNG (at most k pixels changed) "
        + "and prints a one-line summary; when no change flips the model, nothing is written.",
        "--method pgd or fgsm is the white-box alternative: every pixel may change by at most --eps, steered by the "
        + "model's gradients (TorchScript and .pgm models). The PNG is the attack's image rounded to 8 bits, checked "
        + "again after rounding.",
        "The image's seed derives from --seed and its identity (dataset and index, or the file's name), so an image "
        + "of a dataset gets the same outcome here as in evaluate."})
final class AttackCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin ImageOptions input;
  @Mixin AttackOptions attackOptions;
  @Mixin SeedOption seed;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "ADV.png", description = "Where to write the adversarial PNG.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    CliFiles.requireWritable(out);
    Attack<?> attack = attackOptions.build();
    LabeledImage loaded = input.load();
    Image raw = loaded.image();
    try (Classifier c = input.open(model, raw)) {
      ModelInfo info = c.info();
      attackOptions.checkFits(info);
      LabeledImage li = input.matched(loaded, info);
      Image im = input.fit(raw, info);
      Scores clean = c.classify(ImageBatch.of(List.of(im)));
      int predicted = clean.top(0);
      Goal goal;
      if (attackOptions.target != null) {
        int t = info.classIndex(attackOptions.target);
        if (t == predicted) {
          o.printf("%s: the model already predicts '%s' (%.3f); nothing to do%n", li.id(), info.className(t),
              clean.confidence(0));
          return ExitCode.OK;
        }
        goal = attackOptions.narrow(new Goal.Targeted(t));
      } else {
        goal = attackOptions.narrow(new Goal.Untargeted(predicted));
      }
      if (li.hasLabel() && li.label() != predicted) {
        o.printf("note: the model already misclassifies %s (true class '%s'); attacking its prediction '%s'%n",
            li.id(), info.className(li.label()), info.className(predicted));
      }
      AttackResult r = runOne(attack, c, AttackTask.of(li.id(), im, goal, clean, seed.seed));
      String verb = r.perturbation().pixels() <= 64 && r.exactIn8Bits() ? "flipped" : "fooled";
      if (!r.success()) {
        o.printf(Locale.ROOT, "not %s %s: '%s' (%.3f) resisted %s%s (closest: '%s' at %.3f); %s, %.1f s; "
                + "nothing written%n", verb, li.id(), info.className(predicted), clean.confidence(0),
            Evaluation.describe(attack, seed.seed),
            attackOptions.target == null ? "" : " (target '" + info.className(goal.target()) + "')",
            info.className(r.adversarialClass()), r.adversarialConfidence(), Text.cost(r), r.seconds());
        return ExitCode.OK;
      }
      if (!r.exactIn8Bits()) {
        Scores rounded = c.classify(ImageBatch.of(List.of(r.adversarial())));
        if (!goal.isMet(rounded, 0)) {
          o.printf(Locale.ROOT, "not fooled %s: the attack's image fools the model, but rounded to 8 bits it is '%s' "
              + "(%.3f) again; try a slightly larger --eps; nothing written%n", li.id(),
              info.className(rounded.top(0)), rounded.confidence(0));
          return ExitCode.OK;
        }
      }
      ImageFiles.writePng(r.adversarial(), out);
      o.printf(Locale.ROOT, "%s %s: %s; %s, %.1f s, seed %d; wrote %s%n", verb, li.id(), Text.change(r, info),
          Text.cost(r), r.seconds(), seed.seed, out);
    }
    return ExitCode.OK;
  }

  private <M extends Classifier> AttackResult runOne(Attack<M> attack, Classifier c, AttackTask task) {
    M m = AttackOptions.modelFor(attack, c, model.labelOnly);
    return attack.run(m, List.of(task), new Execution(400, 1), r -> {}).get(0);
  }
}
