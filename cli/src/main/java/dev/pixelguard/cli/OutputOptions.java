package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ResultsJson;
import dev.pixelguard.report.HtmlReport;
import dev.pixelguard.report.JUnitXml;
import java.io.PrintWriter;
import java.nio.file.Path;
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
          + "resisted) is below R, in [0, 1].")
  Double failUnder;

  /** Checks, before any work, that every destination's folder exists and the threshold is valid. */
  void check() {
    CliFiles.requireFolders(results, junit, report);
    if (failUnder != null && !(failUnder >= 0 && failUnder <= 1)) {
      throw new InputException("--fail-under must be in [0, 1], was " + failUnder);
    }
  }

  /** Writes what was asked for, then applies the gate; returns the exit code. */
  int write(PrintWriter o, PrintWriter err, EvaluationResult r) {
    if (results != null) {
      ResultsJson.write(r, results);
      o.printf("results:  %s%n", results);
    }
    if (report != null) {
      o.printf("report:   %s%n", HtmlReport.write(r, report));
    }
    if (junit != null) {
      JUnitXml.write(r, failUnder, junit);
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
