package dev.pixelguard.examples;

import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.Split;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.eval.GateEvaluation;
import dev.pixelguard.io.GateFile;
import java.nio.file.Path;
import java.util.List;

/** Fit a two-model gate on some images, save it, and attack it three ways on others. Args: model model gate.json */
public final class FitAndEvaluateGate {
  public static void main(String[] args) {
    Dataset all = Datasets.samples();
    Split split = Split.of(all, new Split.Range(100, 299), new Split.Range(0, 9));
    GateFit.Result fitted = GateFit.fit(GateFit.Request.builder(List.of(args[0], args[1])).views(List.of("median:2"))
        .coverage(0.9).build(), split.fit());
    GateFile.write(fitted.spec(), Path.of(args[2]));
    try (Gate gate = fitted.spec().open(all.classNames())) {
      GateEvaluation.Result r = GateEvaluation.of(gate, split.report(), GuidedPixelAttack.builder().budget(500)
          .build()).run();
      System.out.printf("undefended fooled %d of %d; the gate accepted %d and was harmed on %d%n",
          r.undefended().summary().successes(), r.undefended().summary().attacked(),
          r.adaptive().summary().attacked(), r.adaptive().summary().successes());
    }
  }
}
