package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.djl.net.OnnxExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard export}: one of pixelguard's own networks as a standard ONNX model. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write one of pixelguard's own networks (a .pgm from train, or a bundled builtin:NAME) as a "
        + "standard ONNX model that ONNX Runtime (Java, Python, C++) and ONNX model servers load.",
        "The file has opset 17 and a dynamic batch: input 'input', float [batch, C, H, W] (NCHW, values in [0,1]); "
        + "output 'logits', float [batch, classes]; the class names as a JSON list in the model's metadata under "
        + "'classes'. Before it is written, the model is loaded with ONNX Runtime and checked against the DJL "
        + "network on 64 random images."})
final class ExportCommand implements Callable<Integer> {
  /** Random images the written file is checked on. */
  static final int CHECK_IMAGES = 64;
  /** Largest probability difference accepted between the written file and the DJL network. */
  static final double CHECK_TOLERANCE = 1e-4;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, paramLabel = "FILE.pgm|builtin:NAME",
      description = "The network: a .pgm file written by train, or builtin:fashion-cnn (the default) or "
          + "builtin:fashion-cnn-pgd.")
  String model = DefaultBundle.names().get(0);

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.onnx", description = "Where to write the ONNX model.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    requireOnnxName(out, "--out");
    CliFiles.requireWritable(out);
    try (NetworkModel net = DefaultBundle.networkAt(model)) {
      write(net, out, o);
    }
    return ExitCode.OK;
  }

  /** Refuses an output name the model backends would not read as ONNX. */
  static void requireOnnxName(Path file, String option) {
    if (file != null && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      throw new InputException(option + " must name a .onnx file, was " + file);
    }
  }

  /**
   * Exports {@code net} as ONNX, checks the model with ONNX Runtime against the DJL network, then writes it to
   * {@code file} atomically (nothing is written when the check fails) and prints one line.
   */
  static void write(NetworkModel net, Path file, PrintWriter o) {
    byte[] bytes = OnnxExport.toBytes(net);
    double worst = check(net, bytes, file.getFileName().toString());
    ImageFiles.writeAtomically(file, stream -> stream.write(bytes));
    int[] s = net.inputShape();
    o.printf(Locale.ROOT, "wrote %s: %s, input [N, %d, %d, %d] in [0,1], %d classes, opset %d; ONNX Runtime agrees "
        + "with DJL on %d random images (largest probability difference %.1e)%n", file, net.architecture(), s[0],
        s[1], s[2], net.classNames().size(), OnnxExport.OPSET, CHECK_IMAGES, worst);
    o.flush();
  }

  /** The largest probability difference between the exported model and the network on random images. */
  private static double check(NetworkModel net, byte[] model, String file) {
    double worst;
    try {
      worst = OnnxExport.strayFrom(net, model, CHECK_IMAGES);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the export " + file + " " + e.getMessage().replace("the export ", ""));
    }
    if (!(worst <= CHECK_TOLERANCE)) {
      throw new IllegalStateException("the export " + file + " disagrees with the network: probability "
          + "difference " + worst + " on random images");
    }
    return worst;
  }
}
