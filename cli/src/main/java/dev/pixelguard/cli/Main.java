package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.Stop.StoppedException;
import dev.pixelguard.TransientException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pixelguard} command. {@code main} only exits with what {@link #execute} returns. */
@Command(name = "pixelguard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Show how brittle an image classifier is: black-box one-pixel attacks (Su et al. 2019) on "
        + "ONNX and TorchScript models, an exhaustive one-pixel oracle, robustness evaluation over datasets with "
        + "reports and a CI gate, universal printable stickers under random viewing conditions, and training of "
        + "pixelguard's own networks.",
        "With no --model and no data, commands use the embedded Fashion-MNIST CNN and sample images."},
    subcommands = {PredictCommand.class, AttackCommand.class, EvaluateCommand.class, ScanCommand.class,
        ReportCommand.class, TrainCommand.class, ExportCommand.class, CompareCommand.class, CalibrateCommand.class,
        GateCommand.class, DetectCommand.class, ServeCommand.class, StickerCommand.class, AuditCommand.class,
        VerifyCommand.class, CertifyCommand.class,
        CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {"  0  success (an attack that finds nothing still succeeds; its output says so)",
        "  1  internal error (a defect; please report it with the stack trace)",
        "  2  bad usage or bad input (unknown option, unreadable file, wrong image size, unknown class...)",
        "  3  robustness gate failed: robust accuracy below evaluate --fail-under, or no image was attacked",
        "  4  a failure that may pass when tried again (a remote model timed out or was busy)",
        "  130, 143  stopped by Ctrl-C or SIGTERM: the model calls in flight finish, no output is written (a "
            + "journal keeps finished attempts for --resume)"})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    StopOnSignal.install();
    System.exit(StopOnSignal.exitCode(execute(args, new PrintWriter(System.out, true),
        new PrintWriter(System.err, true))));
  }

  /** Runs the command line with the given output streams; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    return execute(new CommandLine(new Main()), args, out, err);
  }

  /** Runs {@code cl}, a command of pixelguard's (such as pixelguard-spark's), with its exit codes and messages. */
  static int execute(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    // --output-kind probabilities, --layout nhwc, --objective margin: values are read whatever their case.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      Throwable t = e;
      while (!(t instanceof InputException) && !(t instanceof TransientException)
          && !(t instanceof StoppedException) && t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      if (t instanceof StoppedException) {
        line.getErr().println("pixelguard: stopped (SIGTERM or Ctrl-C) before the work was done: no output was "
            + "written; evaluate, scan and audit keep every finished attempt in their journal for --resume");
        line.getErr().flush();
        return ExitCode.STOPPED;
      }
      if (t instanceof TransientException) {
        line.getErr().println("pixelguard: error (may pass when tried again): " + InputException.firstLine(t.getMessage()));
        line.getErr().flush();
        return ExitCode.TRANSIENT;
      }
      if (t instanceof InputException) {
        line.getErr().println("pixelguard: error: " + t.getMessage());
        line.getErr().flush();
        return ExitCode.BAD_INPUT;
      }
      line.getErr().println("pixelguard: internal error: " + e);
      e.printStackTrace(line.getErr());
      line.getErr().flush();
      return ExitCode.INTERNAL;
    });
    cl.setParameterExceptionHandler((e, a) -> {
      CommandLine c = e.getCommandLine();
      c.getErr().println("pixelguard: error: " + InputException.firstLine(e.getMessage()) + " (see '"
          + c.getCommandSpec().qualifiedName() + " --help')");
      c.getErr().flush();
      return ExitCode.BAD_INPUT;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Version from the jar manifest, or "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"pixelguard " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
