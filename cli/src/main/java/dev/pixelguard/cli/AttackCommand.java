package dev.pixelguard.cli;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.gradient.GradientAttackResult;
import dev.pixelguard.attack.gradient.Norm;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.model.GradientClassifier;
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
    description = {"Attack one image by changing at most k pixels (or within --eps with pgd/fgsm), and write the "
        + "adversarial PNG.",
        "It uses only the model's output scores (pixelguard's guided search by default; Su et al.'s differential "
        + "evolution with --method su). Untargeted, it moves the model away from its own prediction; with --target, "
        + "towards a class. On success it writes the adversarial image as a lossless PNG (at most k pixels changed) "
        + "and prints a one-line summary; when no change flips the model, nothing is written.",
        "--method pgd or fgsm is the white-box alternative: every pixel may change by at most --eps, steered by the "
        + "model's gradients (TorchScript and .pgm models). The PNG is the attack's image rounded to 8 bits, checked "
        + "again after rounding."})
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
    SparseAttack attack = attackOptions.gradient() ? null : attackOptions.attack();
    Pgd pgd = attackOptions.gradient() ? attackOptions.gradientAttack() : null;
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
      if (pgd != null) {
        return gradient(o, attackOptions.requireGradients(c, model.labelOnly), li.id(), im, goal, clean, pgd);
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

  private int gradient(PrintWriter o, GradientClassifier c, String id, Image im, Goal goal, Scores clean, Pgd pgd) {
    ModelInfo info = c.info();
    long t0 = System.nanoTime();
    GradientAttackResult r = pgd.run(c, ImageBatch.of(List.of(im)), List.of(goal));
    int per = im.channels() * im.height() * im.width();
    float[] adv = new float[per];
    r.adversarial().copyTo(adv, 0);
    Image rounded = Image.fromUnit(im.channels(), im.height(), im.width(), adv, 0);
    Scores after = c.classify(ImageBatch.of(List.of(rounded)));
    float[] d = new float[per];
    float[] x = new float[per];
    im.writeUnit(x, 0);
    float[] q = new float[per];
    rounded.writeUnit(q, 0);
    for (int j = 0; j < per; j++) {
      d[j] = q[j] - x[j];
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String sizes = String.format(Locale.ROOT, "L-inf %.4f, L2 %.4f", Norm.LINF.of(d), Norm.L2.of(d));
    String from = String.format(Locale.ROOT, "'%s' (%.3f)", info.className(clean.top(0)), clean.confidence(0));
    String to = String.format(Locale.ROOT, "'%s' (%.3f)", info.className(after.top(0)), after.confidence(0));
    if (r.success()[0] && goal.reachedBy(after.top(0))) {
      ImageFiles.writePng(rounded, out);
      o.printf(Locale.ROOT, "fooled %s: %s -> %s by a perturbation of %s; %d gradient step%s, %.1f s, seed %d; wrote %s%n",
          id, from, to, sizes, r.gradients(), r.gradients() == 1 ? "" : "s", seconds, pgd.seed(), out);
    } else if (r.success()[0]) {
      o.printf(Locale.ROOT, "not fooled %s: the attack's image fools the model, but rounded to 8 bits it is %s again; "
          + "try a slightly larger --eps; nothing written%n", id, to);
    } else {
      o.printf(Locale.ROOT, "not fooled %s: %s resisted %s (closest: %s); %.1f s; nothing written%n", id, from,
          Text.describe(pgd, goal instanceof Goal.Targeted t ? "target '" + info.className(t.target()) + "'"
              : "untargeted"), to, seconds);
    }
    return ExitCode.OK;
  }
}
