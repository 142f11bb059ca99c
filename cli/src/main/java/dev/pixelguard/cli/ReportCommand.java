package dev.pixelguard.cli;

import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.report.HtmlReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pixelguard report}: rebuilds the HTML report from saved results, without the model. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Rebuild the HTML report from saved results, without the model.",
        "Takes a results file of evaluate or scan (any attack, --target all included); DIR/index.html opens from disk "
        + "with no network."})
final class ReportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RESULTS.json", description = "Results written with --results.")
  Path input;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Folder for index.html and results.json.")
  Path out;

  @Override
  public Integer call() {
    CliFiles.requireWritableFolder(out);
    Path index = HtmlReport.write(ResultsJson.read(input), out);
    spec.commandLine().getOut().printf("report: %s%n", index);
    return ExitCode.OK;
  }
}
