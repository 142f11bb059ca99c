package dev.pixelguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.patch.Conditions;
import dev.pixelguard.attack.patch.Sticker;
import dev.pixelguard.attack.patch.StickerFiles;
import dev.pixelguard.audit.Audit;
import dev.pixelguard.audit.AuditResult;
import dev.pixelguard.audit.ThreatModel;
import dev.pixelguard.audit.StickerThreat;
import dev.pixelguard.audit.ThreatModels;
import dev.pixelguard.audit.ThreatOutcome;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.report.AuditCard;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard audit}: the threat-model card of a model, and of the gated system beside it. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Run one stated budget of each threat model against a model (and, with --gate, against the "
        + "gated system beside it) and write a threat-model card: which attacks it survives and which it does not.",
        "Threat models (--threats, in card order): one-pixel (guided search, 9,600 queries), pixels (5 pixels "
        + "anywhere, 10,000), patch (a 4x4 patch anywhere, Sparse-RS, 10,000), linf (Square, L-inf 8/255, "
        + "5,000), l2 (Square, L2 0.5, 5,000), label-only (one pixel seeing only the top class, 9,600), and two "
        + "rows that are proofs, not attacks: one-pixel-proof and patch-proof, the model inside double masking "
        + "(lattice:6; blocks:7/4 for a 4x4 patch), where correct means proven for every such change and wrong "
        + "means not proven (docs/certification.md). --max-queries caps every attack's budget. --sticker adds a universal sticker (trained by 'sticker train') "
        + "under random cameras.",
        "The gated system is attacked as a whole, for harm: it accepts the image and answers a wrong class; its "
        + "abstentions are counted apart. Writes DIR/card.html, DIR/card.md with DIR/card.svg, and "
        + "DIR/audit.json. While it runs, every finished image's outcome goes to DIR/audit.json.journal: a killed "
        + "audit is finished with --resume."})
final class AuditCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin DataOptions dataOptions;
  @Mixin SeedOption seed;
  @Mixin RunOptions run;
  @Mixin GateOption gate;

  @Option(names = "--threats", paramLabel = "LIST", split = ",",
      description = "Threat models to run, comma-separated, in the card's order (default: all of them).")
  List<String> threats;

  @Option(names = "--max-queries", paramLabel = "Q",
      description = "Cap every threat model's budget at Q queries per image (default: each one's own budget).")
  long maxQueries;

  @Option(names = "--sticker", paramLabel = "FILE.png",
      description = "Add the universal sticker threat model: this sticker (from 'sticker train'; its target is read "
          + "from FILE.json beside it) stuck on every image once, through a random camera.")
  Path sticker;

  @Option(names = "--sticker-conditions", paramLabel = "realistic|position",
      description = "The cameras the sticker is seen through: realistic (rotation up to 20 degrees, scale 0.8-1.2, "
          + "brightness, contrast, blur, noise, JPEG 60-95) or position (placement only). Default: "
          + "${DEFAULT-VALUE}.")
  String stickerConditions = "realistic";

  @Option(names = "--sticker-mask", paramLabel = "FILE.png",
      description = "Keep the sticker inside the white pixels of this image of the images' size (on the object, as "
          + "'sticker train --mask' does); default: anywhere.")
  Path stickerMask;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true,
      description = "Folder for the card (created if needed; card.html, card.md, card.svg, audit.json).")
  Path out;

  @Option(names = "--resume", description = "Finish an audit that was interrupted: image outcomes recorded in the "
      + "journal DIR/audit.json.journal (one part per threat model and system) are kept, the rest are run, and the "
      + "card equals an uninterrupted run's. The settings (model, gate, dataset, threat models and their budgets, "
      + "seed, sticker) must be the same; batch size, concurrency and --limit may differ. Without --resume an "
      + "existing journal stops the run.")
  boolean resume;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    dataOptions.check();
    CliFiles.requireWritableFolder(out);
    Path journalFile = JournalFile.beside(out.resolve("audit.json"));
    if (!resume && Files.exists(journalFile)) {
      throw new InputException("a journal of an interrupted run exists: " + journalFile + "; add --resume to finish "
          + "that run, or delete the journal to start again");
    }
    Execution execution = run.execution();
    List<ThreatModel> list;
    try {
      list = ThreatModels.standard(threats == null ? ThreatModels.keys() : threats, seed.seed, maxQueries);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage().replace("threat model '", "--threats: '")
          .replace("the query cap", "--max-queries"));
    }
    if (stickerMask != null && sticker == null) {
      throw new InputException("--sticker-mask applies to the sticker threat model; give --sticker FILE.png too");
    }
    StickerThreat stickerThreat = sticker == null ? null : stickerThreat();
    if (stickerThreat != null) {
      list = new ArrayList<>(list);
      list.add(stickerThreat);
    }
    if (model.labelOnly) {
      throw new InputException("--label-only does not apply to audit: its label-only threat model is a row of "
          + "the card");
    }
    if (gate.given() && !gate.spec(model).frameViews().isEmpty()) {
      throw new InputException(gate.file + " looks at a second camera frame; audit takes one image per scene "
          + "(use evaluate --gate --second-frame)");
    }
    Dataset data = dataOptions.load();
    for (int i = 0; i < data.size(); i++) {
      if (!data.get(i).hasLabel()) {
        throw new InputException("an audit needs labelled images; " + data.get(i).id() + " has no label");
      }
    }
    try (Gate g = gate.given() ? gate.open(model, DataOptions.namesForModel(data), DataOptions.shape(data)) : null;
        Classifier plain = g != null ? null : model.open(DataOptions.shape(data), DataOptions.namesForModel(data))) {
      Classifier reference = g != null ? g.views().get(0).classifier() : plain;
      Classifier defended = g != null ? g.asClassifier() : null;
      data = dataOptions.fit(data, reference.info());
      if (stickerThreat != null) { // the sticker's target and channels, and it fits on these images, before any work
        stickerThreat.check(reference.info());
        stickerThreat.conditions().check(stickerThreat.sticker().size(), reference.info().height(),
            reference.info().width());
      }
      ObjectNode settings = Audit.settings(reference.info(), g == null ? null : g.describe(), data.name(), list);
      settings.put("maxQueries", maxQueries);
      AuditResult r;
      try (JournalFile journal = JournalFile.open(journalFile, settings, resume)) {
        try (Progress bar = Progress.start("auditing", "images", data.size(), !run.quiet, spec.commandLine().getErr())) {
          r = Audit.run(reference, defended, data, list, execution, (t, system, done, total, fooled) -> {
            bar.total(total);
            bar.stepTo(done, t.name() + " (" + system + "): won " + fooled + "/" + done);
          }, journal);
        }
        OutputOptions.printResumed(o, "image outcomes", List.of(journal), journal.file().toString());
        print(o, r, g);
        Path page = AuditCard.write(r, out);
        o.printf(Locale.ROOT, "card:     %s (also card.md, card.svg, audit.json)%n", page);
        journal.finish(); // the card is written
      }
      return ExitCode.OK;
    }
  }

  /** The sticker threat model of --sticker, with its target from the settings file beside it. */
  private StickerThreat stickerThreat() {
    Sticker s = StickerFiles.read(sticker);
    JsonNode about = StickerFiles.readSettings(sticker);
    if (about == null || !about.path("target").isInt()) {
      throw new InputException("--sticker: " + StickerFiles.settingsFile(sticker) + " with the sticker's target is "
          + "missing; 'sticker train' writes it beside the PNG");
    }
    Conditions c = switch (stickerConditions) {
      case "realistic" -> Conditions.realistic();
      case "position" -> Conditions.positionOnly();
      default -> throw new InputException("--sticker-conditions must be realistic or position, was "
          + stickerConditions);
    };
    if (stickerMask != null) {
      if (!Files.isRegularFile(stickerMask)) {
        throw new InputException("--sticker-mask not found: " + stickerMask);
      }
      c = c.within(Conditions.Region.of(ImageFiles.read(stickerMask), stickerMask.getFileName().toString()));
    }
    String trainedOn = about.path("model").asText("?");
    trainedOn = trainedOn.startsWith("gate ") ? trainedOn : Path.of(trainedOn).getFileName().toString();
    String origin = sticker.getFileName() + ", trained on " + trainedOn + " with images "
        + about.path("fitOn").asText("?");
    return new StickerThreat(s, about.path("target").asInt(), about.path("targetName").isTextual()
        ? about.path("targetName").asText() : null, c, seed.seed, origin);
  }

  private static void print(PrintWriter o, AuditResult r, Gate g) {
    o.printf(Locale.ROOT, "model:    %s%n", r.model());
    if (g != null) {
      o.printf(Locale.ROOT, "defended: %s%n", g.describe());
    }
    o.printf(Locale.ROOT, "data:     %s, %d images%n", r.dataset(), r.images());
    List<String> head = new ArrayList<>(List.of(String.format(Locale.ROOT, "%-24s %9s %9s", "threat model",
        "accuracy", "won")));
    if (r.hasDefended()) {
      head.add(String.format(Locale.ROOT, " | %9s %9s %9s %9s", "correct", "abstained", "harmed", "won"));
    }
    o.println(String.join("", head));
    for (AuditResult.Row row : r.rows()) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-24.24s", row.threat()));
      ThreatOutcome p = row.plain();
      b.append(p.applicable() ? String.format(Locale.ROOT, " %8.1f%% %9s", 100 * p.accuracy(),
          p.fooled() + "/" + p.attacked()) : String.format(Locale.ROOT, " %19s", "not run"));
      if (row.defended() != null) {
        ThreatOutcome d = row.defended();
        b.append(d.applicable() ? String.format(Locale.ROOT, " | %8.1f%% %8.1f%% %8.1f%% %9s", 100 * d.accuracy(),
            100 * d.abstention(), 100 * d.harm(), d.fooled() + "/" + d.attacked())
            : String.format(Locale.ROOT, " | %39s", "not run"));
      }
      o.println(b);
    }
    o.println("accuracy: share of the images answered correctly after the attack; won: images the attacker turned "
        + "from correct to its goal");
    if (r.rows().stream().anyMatch(x -> x.threat().endsWith(", proven"))) {
      o.println("proven rows: the model inside double masking; accuracy = share proven correct for every change "
          + "within the threat (a guarantee), won = correct images not proven (at most that many can be harmed)");
    }
    if (r.hasDefended()) {
      o.println("gated: correct = accepted and right; harmed = accepted and wrong; the attack sees the gate's "
          + "abstentions");
    }
  }
}
