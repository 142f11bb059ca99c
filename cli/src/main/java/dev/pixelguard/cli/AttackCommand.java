package dev.pixelguard.cli;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.SparseAttack;
import dev.pixelguard.attack.pixel.PixelAttackResult;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.LabeledImage;
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

/** {@code pixelguard attack}: the pixel attack on one image, writing the adversarial PNG. */
@Command(name = "attack", mixinStandardHelpOptions = true,
    description = {"Attack one image by changing at most k pixels, and write the adversarial PNG.",
        "It uses only the model's output scores (pixelguard's guided search by default; Su et al.'s differential "
        + "evolution with --method su). Untargeted, it moves the model away from its own prediction; with --target, "
        + "towards a class. On success it writes the adversarial image as a lossless PNG (at most k pixels changed) "
        + "and prints a one-line summary; when no change flips the model, nothing is written."})
final class AttackCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin ImageOptions input;
  @Mixin AttackOptions attackOptions;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "ADV.png", description = "Where to write the adversarial PNG.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    CliFiles.requireFolders(out);
    SparseAttack attack = attackOptions.attack();
    LabeledImage li = input.load();
    Image raw = li.image();
    try (Classifier c = model.open(new int[] {raw.channels(), raw.height(), raw.width()}, input.classNames())) {
      ModelInfo info = c.info();
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
        goal = new Goal.Targeted(t);
      } else {
        goal = new Goal.Untargeted(predicted);
      }
      if (li.hasLabel() && li.label() != predicted) {
        o.printf("note: the model already misclassifies %s (true class '%s'); attacking its prediction '%s'%n",
            li.id(), info.className(li.label()), info.className(predicted));
      }
      List<PixelAttackResult> rs = attack.run(c, List.of(new SparseAttack.Task(li.id(), im, goal, clean)),
          Math.max(400, attack.requestSize()), 1, r -> {});
      PixelAttackResult r = rs.get(0);
      String what = attack.pixels() == 1 ? "1 pixel" : attack.pixels() + " pixels";
      if (r.success()) {
        ImageFiles.writePng(r.adversarial(), out);
        o.printf(Locale.ROOT, "flipped %s: %s; %s queries, %.1f s, seed %d; wrote %s%n", li.id(), Text.flip(r, info),
            Text.count(r.queries()), r.seconds(), attack.seed(), out);
      } else {
        o.printf(Locale.ROOT, "not flipped %s: '%s' (%.3f) resisted %s %s queries with %s (closest: %s at %.3f); "
                + "%.1f s, seed %d; nothing written%n", li.id(), info.className(predicted), clean.confidence(0),
            attackOptions.target == null ? "" : "(target '" + info.className(((Goal.Targeted) goal).target()) + "')",
            Text.count(r.queries()), what, info.className(r.adversarialClass()), r.adversarialConfidence(),
            r.seconds(), attack.seed());
      }
    }
    return ExitCode.OK;
  }
}
