package dev.pixelguard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.report.HtmlReport;
import dev.pixelguard.report.JUnitXml;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Where an evaluation's outcome goes, and the CI gate: {@code --results}, {@code --report}, {@code --junit}, {@code --fail-under}. */
public final class OutputOptions {
  @Option(names = "--results", paramLabel = "FILE.json",
      description = "Write every image's outcome as JSON (docs/results-schema.md).")
  Path results;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Write a self-contained HTML report (DIR/index.html) and its results.json.")
  Path report;

  @Option(names = "--junit", paramLabel = "FILE.xml",
      description = "Write a JUnit-XML summary (a test case per attacked image, and one for the gate) for CI servers.")
  Path junit;

  @Option(names = "--fail-under", paramLabel = "R",
      description = "Robustness gate for CI: exit with code 3 when robust accuracy (share of attacked images that "
          + "resisted) is below R, in [0, 1], or when no image was attacked (robustness was not measured).")
  Double failUnder;

  @Option(names = "--no-images", description = "Write the original and adversarial images of --results as PNG "
      + "files in a folder beside it (RESULTS.images/, named by image index; the JSON refers to them by relative "
      + "path) instead of base64 inside the JSON, so the file's size per image stays bounded, and evaluate keeps no "
      + "image in memory once written. The report and compare read such files.")
  boolean noImages;

  /** The --results file being written as the evaluation runs, or null when it is written at the end. */
  ResultsJson.Writer streaming;

  /**
   * Starts writing --results as the evaluation runs (images as they finish), or returns null without --results.
   * {@link #write} then finishes this file instead of writing it whole.
   */
  ResultsJson.Writer stream() {
    streaming = results == null ? null : ResultsJson.Writer.open(results, noImages);
    return streaming;
  }

  @Option(names = "--resume", description = "Finish a run that was interrupted: attempts recorded in the journal "
      + "beside --results (RESULTS.journal, or DIR/results.json.journal for --report; with --gate one per evaluation, "
      + "RESULTS.adaptive.journal and so on) are kept, the rest are run. "
      + "The settings must be the same; batch size, concurrency and --limit may differ. Without --resume an existing "
      + "journal stops the run.")
  boolean resume;

  /** Whether the command keeps a journal (evaluate and scan); set before {@link #check}. */
  boolean journaled;

  /**
   * The journal of this run: beside --results (or the report's results.json), or null when neither is given.
   * Every finished attempt is appended to it, so an interrupted run can be finished with {@code --resume}.
   */
  Path journal() {
    return !journaled ? null : results != null ? JournalFile.beside(results) : report != null ? JournalFile.beside(report.resolve("results.json"))
        : null;
  }

  /**
   * The parts of a run that makes several evaluations, each with a journal of its own (evaluate --gate: the
   * undefended model, the oblivious attack, the adaptive attack); empty for a run of one evaluation.
   */
  List<String> journalParts = List.of();

  /** The journal of one part of the run ({@code r.json.PART.journal}), or of the whole run when part is null. */
  Path journal(String part) {
    Path j = journal();
    if (j == null || part == null) {
      return j;
    }
    String name = j.getFileName().toString();
    return j.resolveSibling(name.substring(0, name.length() - ".journal".length()) + "." + part + ".journal");
  }

  /** Opens the journal of one part of the run with its settings, or returns null when there is none. */
  JournalFile openJournal(ObjectNode settings, String part) {
    Path j = journal(part);
    return j == null ? null : JournalFile.open(j, settings, resume);
  }

  /** Opens this run's journal with the run's settings, or returns null when there is none. */
  JournalFile openJournal(ObjectNode settings) {
    Path j = journal();
    return j == null ? null : JournalFile.open(j, settings, resume);
  }

  /**
   * "resumed:  3 attempts from r.json.journal": how many attempts (or image outcomes: {@code unit}) this run took
   * from its journals, and, when they hold more (of images this run does not include, a smaller --limit), that
   * they are kept rather than deleted with the results. Nothing when the journals held nothing.
   */
  static void printResumed(PrintWriter o, String unit, List<JournalFile> journals, String from) {
    int held = 0;
    int used = 0;
    for (JournalFile j : journals) {
      held += j == null ? 0 : j.resumed();
      used += j == null ? 0 : j.used();
    }
    if (held > 0) {
      o.printf(Locale.ROOT, "resumed:  %d %s from %s%s%n", used, unit, from, held == used ? ""
          : String.format(Locale.ROOT, "; it holds %d more, of images this run does not include, and is kept", held
              - used));
    }
  }

  /** Checks, before any work, that every destination's folder exists and the threshold is valid. */
  void check() {
    if (noImages && results == null) {
      throw new InputException("--no-images writes the images of --results beside it; give --results");
    }
    Path images = noImages ? ResultsJson.sideCar(results.toAbsolutePath()) : null;
    if (images != null && Files.exists(images) && !Files.isDirectory(images)) {
      throw new InputException("--no-images writes the images of " + results + " to " + images + ", which is a file, "
          + "not a folder");
    }
    if (resume && !journaled) {
      throw new InputException("--resume applies to evaluate and scan");
    }
    if (resume && journal() == null) {
      throw new InputException("--resume finishes a run from the journal beside its results; give the run's "
          + "--results (or --report)");
    }
    for (String part : journalParts.isEmpty() ? java.util.Collections.<String>singletonList(null) : journalParts) {
      Path j = journal(part);
      if (j != null && !resume && Files.exists(j)) {
        throw new InputException("a journal of an interrupted run exists: " + j + "; add --resume to finish that "
            + "run, or delete the journal to start again");
      }
    }
    CliFiles.requireWritable(results, junit);
    CliFiles.requireWritableFolder(report);
    if (failUnder != null && !(failUnder >= 0 && failUnder <= 1)) {
      throw new InputException("--fail-under must be in [0, 1], was " + failUnder);
    }
  }

  /**
   * Writes what was asked for, then applies the gate; returns the exit code. All or nothing: when one output
   * fails, those already written by this run are removed again, so no partial set of files is left behind.
   */
  int write(PrintWriter o, PrintWriter err, EvaluationResult r) {
    return write(o, err, r, List.of(r));
  }

  /**
   * As {@link #write(PrintWriter, PrintWriter, EvaluationResult)}, with {@code --results} holding all of
   * {@code together} (a comparison when there are several); the report, the JUnit file and the gate are
   * {@code r}'s.
   */
  int write(PrintWriter o, PrintWriter err, EvaluationResult r, List<EvaluationResult> together) {
    return write(o, err, r, together, dir -> HtmlReport.write(r, dir));
  }

  /**
   * As above, with the report written by {@code reportWriter} (given the folder, it returns the HTML file it
   * wrote beside a results.json), such as the defence report of {@code evaluate --gate}.
   */
  int write(PrintWriter o, PrintWriter err, EvaluationResult r, List<EvaluationResult> together,
      java.util.function.Function<Path, Path> reportWriter) {
    List<Path> written = new ArrayList<>();
    boolean reportFolderIsNew = report != null && !Files.exists(report);
    try {
      if (results != null) {
        if (streaming != null && together.size() == 1 && together.get(0) == r) {
          streaming.finish(r);
        } else if (together.size() == 1) {
          ResultsJson.write(together.get(0), results, noImages);
        } else {
          ResultsJson.write(together, results, noImages);
        }
        written.add(results);
      }
      if (report != null) {
        Path index = reportWriter.apply(report);
        written.add(index);
        written.add(index.resolveSibling("results.json"));
      }
      if (junit != null) {
        JUnitXml.write(r, failUnder, junit);
        written.add(junit);
      }
    } catch (RuntimeException e) {
      for (Path p : written) {
        try {
          Files.deleteIfExists(p);
        } catch (java.io.IOException ignored) {
          // best effort: the failure itself is what gets reported
        }
      }
      if (reportFolderIsNew) {
        try {
          Files.deleteIfExists(report);
        } catch (java.io.IOException ignored) {
          // not empty or gone: leave it
        }
      }
      throw e;
    }
    if (results != null) {
      o.printf("results:  %s%n", results);
    }
    if (report != null) {
      o.printf("report:   %s%n", report.resolve("index.html"));
    }
    if (junit != null) {
      o.printf("junit:    %s%n", junit);
    }
    if (failUnder != null) {
      String failure = r.summary().gateFailure(failUnder);
      if (failure != null) {
        err.printf(Locale.ROOT, "pixelguard: gate failed: %s (--fail-under %.3f)%n", failure, failUnder);
        return ExitCode.GATE_FAILED;
      }
      o.printf(Locale.ROOT, "gate:     passed, robust accuracy %.3f >= %.3f%n", r.summary().robustAccuracy(), failUnder);
    }
    return ExitCode.OK;
  }
}
