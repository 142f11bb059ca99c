package dev.pixelguard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.GateEvaluation;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.eval.engine.EvaluationEngine;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.report.DefenceReportPage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard evaluate}: robustness over a dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Attack every correctly classified image of a dataset and report how robust the model is.",
        "It reports how many images one changed pixel (or k) can flip (guided search by default, --method su for "
        + "Su et al.'s): success rate, confidence of the wrong class, queries, success by query budget, and which "
        + "classes turn into which. --method pgd or fgsm runs a white-box gradient attack within --eps instead and "
        + "reports accuracy under attack and perturbation sizes. --results writes every image's outcome as JSON, "
        + "--report an HTML report; --fail-under makes it a CI gate.",
        "Datasets: a folder of class folders, a CIFAR-10 .bin batch, an IDX images file, or an image file."})
final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin DataOptions dataOptions;
  @Mixin AttackOptions attackOptions;
  @Mixin SeedOption seed;
  @Mixin RunOptions run;
  @Mixin OutputOptions outputs;
  @Mixin GateOption gate;

  @Option(names = "--second-frame", paramLabel = "SPEC",
      description = "With --gate whose file has frame views (another frame of the scene, which the attacker does not "
          + "control): how each image's second frame is simulated from the clean image: shift:S (an offset of up to "
          + "S pixels, drawn per image, edges replicated) and noise:N (Gaussian sensor noise in 8-bit levels), then "
          + "rounded to 8 bits; seeded by --seed and the image. Default: shift:1,noise:2.")
  String secondFrame;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    dataOptions.check();
    outputs.journaled = true;
    outputs.journalParts = gate.given() ? GateEvaluation.PARTS : List.of();
    outputs.check();
    EvaluationPlan plan = plan();
    if (engine != null) {
      engine.check();
    }
    if (plan.goals().matrix() && (outputs.failUnder != null || outputs.junit != null)) {
      throw new InputException("--fail-under and --junit judge a single goal; they do not apply to --target all");
    }
    try (EvaluationPlan.Opened opened = plan.open()) {
      attackOptions.checkFits(opened.info());
      AttackOptions.modelFor(plan.attack(), opened.gate() != null ? opened.gate().views().get(0).classifier()
          : opened.model(), model.labelOnly);
      // The results file first: a journal is left behind only by a run that got as far as the work.
      List<JournalFile> journals = new ArrayList<>();
      try (ResultsJson.Writer stream = opened.gate() != null ? null : outputs.stream()) {
        Function<String, JournalFile> journal = journals(opened, journals);
        int code = opened.gate() != null ? gated(o, opened, journal) : single(o, opened, journal, stream);
        journals.forEach(JournalFile::finish); // every output is written
        return code;
      } finally {
        journals.forEach(JournalFile::close);
      }
    }
  }

  /** The plan these options describe, checked before any model is opened. */
  EvaluationPlan plan() {
    Attack<?> attack = attackOptions.build();
    if (secondFrame != null && !gate.given()) {
      throw new InputException("--second-frame simulates the other frame a gate looks at; give --gate");
    }
    EvaluationPlan.Subject subject;
    if (gate.given()) {
      GateSpec g = gate.spec(model);
      if (attackOptions.target != null) {
        throw new InputException("--gate attacks with the harm goal (the gate accepts a wrong class); --target does "
            + "not apply");
      }
      if (secondFrame != null && g.frameViews().isEmpty()) {
        throw new InputException("--second-frame simulates the other frame a gate looks at, and " + gate.file
            + " has no frame views; add them with 'gate fit --frame-view'");
      }
      subject = new EvaluationPlan.Gated(g, Camera.parse(secondFrame == null ? "" : secondFrame, seed.seed));
    } else {
      subject = new EvaluationPlan.Model(model.request());
    }
    return EvaluationPlan.builder(subject, dataOptions.source(), attack)
        .goals(new EvaluationPlan.Goals(attackOptions.target, attackOptions.minConfidence)).seed(seed.seed)
        .batching(run.batching()).labelOnly(model.labelOnly).build();
  }

  /**
   * The journal of each part of the run, opened when first asked for with the settings of the evaluation it keeps
   * (as the run's results will state them), and added to {@code opened}; null without a journal.
   */
  private Function<String, JournalFile> journals(EvaluationPlan.Opened run, List<JournalFile> opened) {
    List<String> parts = run.plan().parts();
    List<EvaluationResult> blanks = outputs.journal() == null ? null : run.blankResults();
    Map<String, JournalFile> byPart = new HashMap<>();
    return part -> blanks == null ? null : byPart.computeIfAbsent(part, p -> {
      ObjectNode settings = JournalFile.settings(blanks.get(parts.indexOf(p)));
      settings.put("labelOnly", model.labelOnly);
      JournalFile j;
      if (run.gate() != null) {
        settings.put("gate", run.gate().describe());
        settings.put("secondFrame", run.gateEvaluation().camera().describe());
        settings.put("part", p);
        j = outputs.openJournal(settings, p);
      } else {
        j = outputs.openJournal(settings);
      }
      opened.add(j);
      return j;
    });
  }

  /** A model: one evaluation, here or on the engine, the results file written as images finish. */
  private int single(PrintWriter o, EvaluationPlan.Opened opened, Function<String, JournalFile> journals,
      ResultsJson.Writer stream) {
    ModelInfo info = opened.info();
    boolean all = opened.plan().goals().matrix();
    JournalFile journal = journals.apply(opened.plan().parts().get(0));
    Evaluations.Line line = (i, a) -> Evaluations.success(i, a, info);
    EvaluationResult r;
    if (engine != null) {
      r = engine.run(opened, journals, stream, run.console(spec)).get(0);
      Evaluations.printLines(run.console(spec), r, line);
    } else {
      r = Evaluations.run(all ? "targeting" : "attacking", opened.evaluation().journal(journal).sink(stream),
          opened.images(), all, run.console(spec), line);
    }
    if (journal != null) {
      OutputOptions.printResumed(o, "attempts", List.of(journal), journal.file().toString());
    }
    return print(o, r, opened.plan().attack(), opened.targets(), all, info.abstainClass(), info, opened.model());
  }

  /**
   * {@code --gate}: the undefended reference model, the gate against an attack that ignores it and the gate
   * against the adaptive attack, side by side; the adaptive evaluation is the one reported and gated on.
   */
  private int gated(PrintWriter o, EvaluationPlan.Opened opened, Function<String, JournalFile> journals) {
    GateEvaluation evaluation = opened.gateEvaluation();
    GateEvaluation.Result r;
    if (engine != null) {
      r = evaluation.result(engine.run(opened, journals, null, run.console(spec)));
      Evaluations.printLines(run.console(spec), r.adaptive(), GatedEvaluation.harmLine(opened.gate()));
    } else {
      r = GatedEvaluation.run(evaluation.journals((part, info, a, s, t) -> journals.apply(part)), opened.gate(),
          opened.images(), run.console(spec));
    }
    List<JournalFile> parts = new ArrayList<>();
    for (String part : GateEvaluation.PARTS) {
      parts.add(journals.apply(part));
    }
    OutputOptions.printResumed(o, "attempts", parts, parts.stream().filter(j -> j != null).count()
        + " journals beside " + outputs.journal());
    Attack<?> attack = opened.plan().attack();
    GatedEvaluation.print(o, opened.gate(), attack, seed.seed, r, evaluation.camera());
    Evaluations.printCost(o, r.adaptive());
    return outputs.write(o, spec.commandLine().getErr(), r.adaptive(), r.all(),
        dir -> DefenceReportPage.write(r.report(), dir));
  }

  /**
   * Where the evaluations run, when not in this JVM: pixelguard-spark runs them as a Spark job
   * ({@link dev.pixelguard.eval.engine.EvaluationEngine}).
   */
  interface Engine {
    /** Refuses, in one line, settings the engine cannot use, before any work. */
    void check();

    /**
     * Every evaluation of the opened plan over all its images, journaled.
     *
     * @param sink where each finished image of a model's evaluation goes, in dataset order (the --results file
     *     written as it comes), or null
     */
    List<EvaluationResult> run(EvaluationPlan.Opened opened, Function<String, JournalFile> journals,
        ResultsJson.Writer sink, Evaluations.Console console);
  }

  /** The engine, or null to run here. */
  Engine engine;

  private int print(PrintWriter o, EvaluationResult r, Attack<?> attack, Targets targets, boolean all, int abstain,
      ModelInfo info, Classifier c) {
    Evaluations.printHeader(o, r);
    String goal = abstain >= 0 ? "harm (the system accepts the image and answers a wrong class)"
        : targets.matrix() ? "toward every other class"
        : attackOptions.target == null ? "untargeted"
        : "targeted at '" + info.className(info.classIndex(attackOptions.target)) + "'";
    if (targets.extra() != null) {
      goal += ", success needs " + targets.extra().describe();
    }
    o.printf(Locale.ROOT, "attack:   %s; %s%n", Evaluation.describe(attack, seed.seed), goal);
    Summary s = r.summary();
    if (all) {
      printMatrix(o, r, s);
    } else {
      int n = s.attacked();
      boolean dense = s.gradients() > 0;
      if (n == 0) {
        o.printf(Locale.ROOT, "%s  %s%n", dense ? "fooled: " : "flipped:", s.notMeasured());
      } else {
        o.printf(Locale.ROOT, "%s  %d of %d attacked images (%.1f%%); robust accuracy %.1f%% of attacked, accuracy "
                + "under attack %.1f%% of all images%n", dense ? "fooled: " : "flipped:", s.successes(), n,
            100 * s.successRate(), 100 * s.robustAccuracy(), 100 * s.accuracyUnderAttack());
      }
      if (s.successes() > 0) {
        o.printf(Locale.ROOT, "          mean confidence of the adversarial class %.3f; %s%n",
            s.meanAdversarialConfidence(), dense
                ? String.format(Locale.ROOT, "mean perturbation L-inf %.4f, L2 %.4f", s.meanLinfOnSuccess(),
                    s.meanL2OnSuccess())
                : "queries on success: mean " + Text.count(Math.round(s.meanQueriesOnSuccess())) + ", median "
                    + Text.count(Math.round(s.medianQueriesOnSuccess())));
      }
    }
    Evaluations.printCost(o, r);
    Evaluations.printTransport(o, c);
    return outputs.write(o, spec.commandLine().getErr(), r);
  }

  /** Su et al.'s original-to-target matrix. */
  private static void printMatrix(PrintWriter o, EvaluationResult r, Summary s) {
    ModelInfo info = r.model();
    int k = info.numClasses();
    o.printf(Locale.ROOT, "reached:  %d of %d (image, target) pairs (%.1f%%); %d of %d images reach at least one "
        + "target%n", s.successes(), s.attempts(), s.attempts() == 0 ? 0 : 100 * s.successRate(), s.fooled(),
        s.attacked());
    o.println("original \\ target (successes/tried):");
    int w = 10;
    StringBuilder head = new StringBuilder(String.format("%-" + w + "s", ""));
    for (int t = 0; t < k; t++) {
      head.append(String.format(" %" + w + "." + w + "s", info.className(t)));
    }
    o.println(head);
    for (int f = 0; f < k; f++) {
      StringBuilder row = new StringBuilder(String.format("%-" + w + "." + w + "s", info.className(f)));
      for (int t = 0; t < k; t++) {
        int tried = s.targetTried()[f][t];
        row.append(String.format(" %" + w + "s", tried == 0 ? "-" : s.targetSuccesses()[f][t] + "/" + tried));
      }
      o.println(row);
    }
  }
}
