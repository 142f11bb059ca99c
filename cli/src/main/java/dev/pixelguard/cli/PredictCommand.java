package dev.pixelguard.cli;

import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.defence.Decision;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard predict}: the model's top classes for one image. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Classify one image and print the top classes with their probabilities.")
final class PredictCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin ImageOptions input;
  @Mixin GateOption gate;

  @Option(names = "--top", description = "Classes to list (default: ${DEFAULT-VALUE}).")
  int top = 3;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (gate.given()) {
      gate.spec(model);
    }
    LabeledImage raw = input.load();
    Image im = raw.image();
    if (gate.given()) {
      return gated(out, raw);
    }
    try (Classifier c = input.open(model, im)) {
      ModelInfo info = c.info();
      LabeledImage li = input.matched(raw, info);
      Image fitted = input.fit(im, info);
      Scores s = c.classify(ImageBatch.of(List.of(fitted)));
      float[] p = s.probabilities(0);
      Integer[] order = new Integer[p.length];
      for (int k = 0; k < p.length; k++) {
        order[k] = k;
      }
      java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
      out.printf("%s: %s (%.4f)%s%n", li.id(), info.className(order[0]), p[order[0]],
          li.hasLabel() ? ", true class " + info.className(li.label()) : "");
      for (int r = 0; r < Math.min(top, p.length); r++) {
        out.printf("  %d. %-20s %.6f%n", r + 1, info.className(order[r]), p[order[r]]);
      }
    }
    return ExitCode.OK;
  }

  /** The gate's decision: accept (class, confidence) or abstain with its reasons and the fallback. */
  private int gated(PrintWriter out, LabeledImage raw) {
    try (Gate g = gate.open(model, input.classNames(), new int[] {raw.image().channels(), raw.image().height(), raw.image().width()})) {
      ModelInfo info = g.info();
      LabeledImage li = input.matched(raw, info);
      Image fitted = input.fit(raw.image(), info);
      ImageBatch batch = ImageBatch.of(List.of(fitted));
      Decision d = g.decide(batch).get(0);
      String truth = li.hasLabel() ? ", true class " + info.className(li.label()) : "";
      if (d.accepted()) {
        out.printf(Locale.ROOT, "%s: accept %s (%.4f)%s%n", li.id(), info.className(d.predicted()), d.confidence(),
            truth);
      } else {
        out.printf(Locale.ROOT, "%s: abstain (would be %s, %.4f)%s%n", li.id(), info.className(d.predicted()),
            d.confidence(), truth);
        for (String r : d.reasons()) {
          out.printf("  because %s%n", r);
        }
        out.printf("  fallback: %s%n", d.fallback() < 0 ? "hand over (no class acted on)"
            : "act on the safe class " + info.className(d.fallback()));
      }
      Gate.Evidence e = g.assess(batch).get(0);
      for (int v = 0; v < g.views().size(); v++) {
        float[] p = e.views()[v];
        int top = 0;
        for (int k = 1; k < p.length; k++) {
          top = p[k] > p[top] ? k : top;
        }
        out.printf(Locale.ROOT, "  view %-50s %s (%.4f)%n", g.views().get(v).name(), info.className(top), p[top]);
      }
    }
    return ExitCode.OK;
  }
}
