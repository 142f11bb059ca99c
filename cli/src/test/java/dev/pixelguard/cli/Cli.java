package dev.pixelguard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process with captured output, as picocli's own tests do. */
record Cli(int code, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(code, out.toString(), err.toString());
  }

  /**
   * Fits the gate of ResNet-20 plus its view through {@code impulse:0.3}, product rule, 90% coverage, on images
   * 466-931 of the fixture batch, into {@code gate}.
   */
  static void fitImpulseGate(java.nio.file.Path gate) {
    Cli fit = run("gate", "fit", "-m", dev.pixelguard.testing.Fixtures.resnetOnnx().toString(), "--view",
        "impulse:0.3", "--fusion", "product", "--coverage", "0.9", "-d",
        dev.pixelguard.testing.Fixtures.cifarBatch().toString(), "--fit-on", "466-931", "--report-on", "0-465",
        "--out", gate.toString());
    org.junit.jupiter.api.Assertions.assertEquals(0, fit.code(), fit.toString());
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }
}
