package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.Gate;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.report.DefenceReportPage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
    outputs.journalParts = gate.given() ? GatedEvaluation.PARTS : List.of();
    outputs.check();
    Attack<?> attack = attackOptions.build(seed.seed);
    boolean all = "all".equalsIgnoreCase(attackOptions.target);
    if (all && (outputs.failUnder != null || outputs.junit != null)) {
      throw new InputException("--fail-under and --junit judge a single goal; they do not apply to --target all");
    }
    if (gate.given()) {
      if (engine != null) {
        throw new InputException("--gate runs in one JVM; evaluate the gate with 'pixelguard evaluate --gate'");
      }
      return gated(o);
    }
    if (secondFrame != null) {
      throw new InputException("--second-frame simulates the other frame a gate looks at; give --gate");
    }
    Dataset data = dataOptions.load();
    try (Classifier c = model.open(DataOptions.shape(data), DataOptions.namesForModel(data))) {
      ModelInfo info = c.info();
      attackOptions.checkFits(info);
      data = dataOptions.fit(data, info);
      int abstain = info.abstainClass();
      Targets targets = targets(info);
      EvaluationResult r;
      // The results file first: a journal is left behind only by a run that got as far as the work.
      try (dev.pixelguard.io.ResultsJson.Writer stream = outputs.stream();
          JournalFile journal = outputs.openJournal(journalSettings(info, data.name(), attack, targets))) {
        Evaluations.Line line = (i, a) -> Evaluations.success(i, a, info);
        r = engine != null ? engine.run(c, data, attack, targets, journal, run.console(spec), line, stream)
            : Evaluations.run(all ? "targeting" : "attacking", c, model.labelOnly, data, attack, targets,
                run.execution(info), run.console(spec), line, journal, stream);
        if (journal != null && journal.resumed() > 0) {
          o.printf(Locale.ROOT, "resumed:  %d attempts from %s%n", journal.resumed(), journal.file());
        }
        int code = print(o, r, attack, targets, all, abstain, info, c);
        if (journal != null) {
          journal.finish(); // every output is written
        }
        return code;
      }
    }
  }

  /** The goals of every image, for a model with {@code info}: harm for a model that may abstain, else --target's. */
  Targets targets(ModelInfo info) {
    int abstain = info.abstainClass();
    if (abstain >= 0 && attackOptions.target != null) {
      throw new InputException("the model may abstain (its last class is 'abstain', as a served gate's is), so "
          + "the attack seeks harm: accepted and wrong; --target does not apply");
    }
    return abstain >= 0 ? new Targets.Harm(abstain, attackOptions.criterion())
        : "all".equalsIgnoreCase(attackOptions.target) ? new Targets.EveryOther(attackOptions.criterion())
        : attackOptions.target == null ? new Targets.Untargeted(attackOptions.criterion())
        : new Targets.Target(info.classIndex(attackOptions.target), attackOptions.criterion());
  }

  /**
   * Where the attempts run, when not in this JVM: pixelguard-spark runs them as a Spark job. It returns the
   * evaluation of {@code data} as {@link Evaluations#run} would, journaling every attempt in {@code journal}.
   */
  interface Engine {
    /**
     * @param sink where each finished image goes, in dataset order (the --results file written as it comes), or
     *     null
     */
    EvaluationResult run(Classifier c, Dataset data, Attack<?> attack, Targets targets, JournalFile journal,
        Evaluations.Console console, Evaluations.Line line, Evaluation.Sink sink);
  }

  /** The engine, or null to run here. */
  Engine engine;

  ObjectNode journalSettings(ModelInfo info, String dataset, Attack<?> attack, Targets targets) {
    ObjectNode s = JournalFile.settings(info, dataset, attack, targets);
    s.put("labelOnly", model.labelOnly);
    return s;
  }

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
    o.printf(Locale.ROOT, "attack:   %s; %s%n", attack.describe(), goal);
    Summary s = r.summary();
    if (all) {
      printMatrix(o, r, s);
    } else {
      int n = s.attacked();
      boolean dense = s.gradients() > 0;
      o.printf(Locale.ROOT, "%s  %d of %d attacked images (%.1f%%); robust accuracy %.1f%% of attacked, accuracy "
              + "under attack %.1f%% of all images%n", dense ? "fooled: " : "flipped:", s.successes(), n,
          n == 0 ? 0 : 100 * s.successRate(), n == 0 ? 100 : 100 * s.robustAccuracy(), 100 * s.accuracyUnderAttack());
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

  /**
   * {@code --gate}: the undefended reference model, the gate against an attack that ignores it and the gate
   * against the adaptive attack, side by side; the adaptive evaluation is the one reported and gated on.
   */
  private int gated(PrintWriter o) {
    gate.spec(model);
    if (attackOptions.target != null) {
      throw new InputException("--gate attacks with the harm goal (the gate accepts a wrong class); --target does "
          + "not apply");
    }
    if (secondFrame != null && gate.spec(model).frameViews().isEmpty()) {
      throw new InputException("--second-frame simulates the other frame a gate looks at, and " + gate.file
          + " has no frame views; add them with 'gate fit --frame-view'");
    }
    Camera camera = Camera.parse(secondFrame == null ? "" : secondFrame, seed.seed);
    Attack<?> attack = attackOptions.build(seed.seed);
    Dataset data = dataOptions.load();
    try (Gate g = gate.open(model, DataOptions.namesForModel(data), DataOptions.shape(data))) {
      attackOptions.checkFits(g.info());
      data = dataOptions.fit(data, g.info());
      List<JournalFile> journals = new ArrayList<>();
      String dataName = data.name();
      GatedEvaluation.Journals open = (part, info, att, targets) -> {
        ObjectNode settings = journalSettings(info, dataName, att, targets);
        settings.put("gate", g.describe());
        settings.put("secondFrame", camera.describe());
        settings.put("part", part);
        JournalFile j = outputs.openJournal(settings, part);
        if (j != null) {
          journals.add(j);
        }
        return j;
      };
      try {
        GatedEvaluation.Outcome r = GatedEvaluation.run(g, data, attack, attackOptions, run.execution(g.info()),
            run.console(spec), model.labelOnly, camera, open);
        int resumed = journals.stream().mapToInt(JournalFile::resumed).sum();
        if (resumed > 0) {
          o.printf(Locale.ROOT, "resumed:  %d attempts from %d journals beside %s%n", resumed, journals.size(),
              outputs.journal());
        }
        GatedEvaluation.print(o, g, attack, r, camera);
        Evaluations.printCost(o, r.adaptive());
        Dataset judged = data;
        int code = outputs.write(o, spec.commandLine().getErr(), r.adaptive(), r.all(),
            dir -> DefenceReportPage.write(GatedEvaluation.report(g, judged, r, camera), dir));
        journals.forEach(JournalFile::finish); // every output is written
        return code;
      } finally {
        journals.forEach(JournalFile::close);
      }
    }
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
