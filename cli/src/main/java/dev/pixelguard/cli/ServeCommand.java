package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.serve.ModelServer;
import dev.pixelguard.serve.ServedModel;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard serve}: a model, or a gate in front of models, as an Open Inference Protocol v2 server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve a model, or a safe-fallback gate in front of models (--gate), as an Open Inference "
        + "Protocol v2 REST server (the protocol of KServe, Triton and MLServer), until stopped (Ctrl-C or SIGTERM "
        + "stop it gracefully: requests already taken are answered).",
        "Endpoints: GET /v2/health/live, /v2/health/ready, /v2, /v2/models/NAME, /v2/models/NAME/ready; POST "
        + "/v2/models/NAME/infer (one FP32 input 'input', [N, C, H, W], values in [0, 1]); GET /metrics "
        + "(Prometheus). Outputs: 'probabilities' and 'logits'; behind a gate the last class is 'abstain', and "
        + "'decision', 'class', 'confidence' and 'reasons' come beside them (docs/serving.md).",
        "Concurrent requests are batched; past --queue images waiting, requests get 503 with Retry-After. "
        + "pixelguard evaluate --model http://HOST:PORT/v2/models/NAME attacks the served system as a remote "
        + "attacker would."})
final class ServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin GateOption gate;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The model's name in URLs (default: 'guarded' behind --gate, else the model file's name "
          + "without extension).")
  String name;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
      description = "Port (default ${DEFAULT-VALUE}; 0 lets the system choose, and the line printed says which).")
  int port;

  @Option(names = "--max-batch", paramLabel = "N", defaultValue = "64",
      description = "Most images per model batch (default ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--max-wait-ms", paramLabel = "MS", defaultValue = "2",
      description = "How long a request may wait for others to share its batch (default ${DEFAULT-VALUE} ms).")
  double maxWaitMs;

  @Option(names = "--queue", paramLabel = "IMAGES", defaultValue = "1024",
      description = "Most images waiting before requests are refused with 503 (default ${DEFAULT-VALUE}); also "
          + "the most one request may carry.")
  int queue;

  @Option(names = "--max-body-mb", paramLabel = "MB", defaultValue = "32",
      description = "Largest request body in MiB; larger ones get 413 (default ${DEFAULT-VALUE}).")
  int maxBodyMb;

  @Option(names = "--body-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "How long a request body may take to arrive after its headers; a slower one gets 408 and its "
          + "connection is closed (default ${DEFAULT-VALUE}). Bodies are read without holding a request thread.")
  double bodyTimeout;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
      description = "Model batches that may run at once (default ${DEFAULT-VALUE}): while one runs the next is "
          + "gathered. Unless --threads is given, ONNX Runtime gets cores / N threads per run (a gate's models: "
          + "one each).")
  int workers;

  @Option(names = "--drain-seconds", paramLabel = "S", defaultValue = "30",
      description = "On stop, how long to wait for requests in flight (default ${DEFAULT-VALUE}).")
  int drainSeconds;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter o = spec.commandLine().getOut();
    if (model.labelOnly) {
      throw new InputException("--label-only describes a model being attacked; serve always returns scores");
    }
    if (workers < 1) {
      throw new InputException("--workers must be at least 1, was " + workers);
    }
    if (!(bodyTimeout >= 0.001 && bodyTimeout <= 86_400)) {
      throw new InputException("--body-timeout must be from 0.001 to 86400 seconds, was " + bodyTimeout);
    }
    if (model.threads == 0) {
      model.threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    }
    ModelServer.Builder b;
    ServedModel served;
    if (gate.given()) {
      gate.spec(model);
      served = ServedModel.of(gate.open(model, List.of(), null));
    } else {
      served = ServedModel.of(model.open(null, List.of()));
    }
    try {
      b = ModelServer.builder(served).host(host).port(port).maxBatch(maxBatch)
          .maxWait(Duration.ofNanos(Math.round(maxWaitMs * 1e6))).queue(queue).maxBody((long) maxBodyMb << 20)
          .drainTimeout(Duration.ofSeconds(drainSeconds)).workers(workers)
          .bodyTimeout(Duration.ofMillis(Math.round(bodyTimeout * 1000)));
      if (name != null) {
        b.name(name);
      } else if (gate.given()) {
        b.name("guarded");
      }
      ModelServer server = b.build().start();
      Thread hook = new Thread(() -> {
        server.close();
        served.close();
      }, "pixelguard-serve-stop");
      StopOnSignal.leaveToCommand(); // a stop drains the requests in flight: they must still reach the model
      Runtime.getRuntime().addShutdownHook(hook);
      o.printf(Locale.ROOT, "serving:  %s%n", served.describe());
      o.printf(Locale.ROOT, "model:    %s  (%s, %d classes%s)%n", server.url(), served.info().inputShape(),
          served.info().numClasses(), served.gated() ? " including 'abstain'" : "");
      o.printf(Locale.ROOT, "metrics:  %s/metrics%n", server.url().replaceAll("/v2/models/.*$", ""));
      o.printf(Locale.ROOT, "batching: up to %d images, waiting at most %s ms, %d at once (%d engine threads "
          + "each); 503 past %d images queued%n", maxBatch, new java.text.DecimalFormat("0.###", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)).format(maxWaitMs), workers,
          gate.given() ? GateSpec.ENGINE_THREADS : model.threads, queue);
      o.println("Ctrl-C or SIGTERM stops it gracefully.");
      o.flush();
      server.awaitStop();
      return ExitCode.OK;
    } catch (RuntimeException e) {
      served.close();
      throw e;
    }
  }
}
