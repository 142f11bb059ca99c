package dev.pixelguard.serve;

import dev.pixelguard.defence.Decision;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import dev.pixelguard.protocol.V2Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link ModelServer} serves: a plain classifier, or a {@link Gate} whose decision comes back beside the
 * scores. Its outputs, by name:
 *
 * <ul>
 *   <li>{@code probabilities} FP32 [N, K] and {@code logits} FP32 [N, K] (logits only when the model gives them):
 *       for a gate, K counts the last class, {@code abstain}, and the scores are the gated ones that pixelguard's
 *       attacks follow ({@link Gate#asClassifier()}), so a plain v2 client reads "abstain" as the top class;
 *   <li>for a gate also {@code decision} BYTES [N] ("accept" or "abstain"), {@code class} INT32 [N] (the class
 *       acted on: the prediction when accepted, else the fallback class, or -1 to hand over),
 *       {@code confidence} FP32 [N] (the fused calibrated confidence of the prediction) and {@code reasons}
 *       BYTES [N] (why it abstained, "; "-separated; empty when accepted).
 * </ul>
 */
public abstract sealed class ServedModel implements AutoCloseable permits ServedModel.Plain, ServedModel.Gated {
  public static final String DECISION = "decision";
  public static final String CLASS = "class";
  public static final String CONFIDENCE = "confidence";
  public static final String REASONS = "reasons";

  /** One output tensor's metadata. */
  public record Output(String name, String datatype, long[] shape) {}

  /** One image's answer: scores (logits may be null) and, for a gate, its decision. */
  public record Row(float[] probabilities, float[] logits, Decision decision) {}

  /** The model's name, shape and classes (for a gate, ending with {@code abstain}). */
  public abstract ModelInfo info();

  /** The outputs, in order. */
  public abstract List<Output> outputs();

  /** Answers a batch; thread-safe as the wrapped model is. */
  public abstract List<Row> answer(ImageBatch batch);

  /** One line for the server's metadata and log. */
  public abstract String describe();

  /** Whether answers carry a gate's decision. */
  public abstract boolean gated();

  /**
   * The transforms the served system looks at the image through, as specs ({@code impulse(threshold=0.3)}), for
   * the metadata: an attacker who knows the defence knows them, and an evaluation over HTTP then attacks as one
   * would (pixelguard's remote models read them: what each lets through). None for a plain model.
   */
  public List<String> filters() {
    return List.of();
  }

  /** Closes the model or gate served. */
  @Override
  public abstract void close();

  /** Serves a classifier. Probes it once with a blank image to learn whether it gives logits. */
  public static ServedModel of(Classifier classifier) {
    return new Plain(classifier);
  }

  /** Serves a gate. */
  public static ServedModel of(Gate gate) {
    return new Gated(gate);
  }

  /** The output tensors for the rows, limited to {@code wanted} (all when empty). */
  List<V2Json.Tensor> tensors(List<Row> rows, List<String> wanted) {
    List<V2Json.Tensor> out = new ArrayList<>();
    int n = rows.size();
    int k = info().numClasses();
    for (Output o : outputs()) {
      if (!wanted.isEmpty() && !wanted.contains(o.name())) {
        continue;
      }
      switch (o.name()) {
        case V2Json.PROBABILITIES, V2Json.LOGITS -> {
          boolean p = o.name().equals(V2Json.PROBABILITIES);
          float[] data = new float[n * k];
          for (int i = 0; i < n; i++) {
            System.arraycopy(p ? rows.get(i).probabilities() : rows.get(i).logits(), 0, data, i * k, k);
          }
          out.add(V2Json.Tensor.of(o.name(), "FP32", new long[] {n, k}, data));
        }
        case DECISION -> out.add(V2Json.Tensor.ofStrings(DECISION,
            rows.stream().map(r -> r.decision().accepted() ? "accept" : "abstain").toList()));
        case REASONS -> out.add(V2Json.Tensor.ofStrings(REASONS,
            rows.stream().map(r -> String.join("; ", r.decision().reasons())).toList()));
        case CLASS, CONFIDENCE -> {
          float[] data = new float[n];
          for (int i = 0; i < n; i++) {
            Decision d = rows.get(i).decision();
            data[i] = o.name().equals(CLASS) ? d.action() : (float) d.confidence();
          }
          out.add(V2Json.Tensor.of(o.name(), o.datatype(), new long[] {n}, data));
        }
        default -> throw new IllegalStateException("no such output " + o.name());
      }
    }
    return out;
  }

  /** A plain classifier's scores. */
  static final class Plain extends ServedModel {
    private final Classifier classifier;
    private final List<Output> outputs;

    Plain(Classifier classifier) {
      this.classifier = classifier;
      ModelInfo i = classifier.info();
      float[] blank = new float[i.channels() * i.height() * i.width()];
      boolean logits = classifier.classify(ImageBatch.wrap(1, i.channels(), i.height(), i.width(), blank)).hasLogits();
      List<Output> o = new ArrayList<>();
      o.add(new Output(V2Json.PROBABILITIES, "FP32", new long[] {-1, i.numClasses()}));
      if (logits) {
        o.add(new Output(V2Json.LOGITS, "FP32", new long[] {-1, i.numClasses()}));
      }
      this.outputs = List.copyOf(o);
    }

    @Override
    public ModelInfo info() {
      return classifier.info();
    }

    @Override
    public List<Output> outputs() {
      return outputs;
    }

    @Override
    public List<Row> answer(ImageBatch batch) {
      Scores s = classifier.classify(batch);
      List<Row> rows = new ArrayList<>(s.size());
      for (int i = 0; i < s.size(); i++) {
        float[] z = null;
        if (s.hasLogits()) {
          z = new float[s.numClasses()];
          for (int k = 0; k < z.length; k++) {
            z[k] = s.logit(i, k);
          }
        }
        rows.add(new Row(s.probabilities(i), z, null));
      }
      return rows;
    }

    @Override
    public String describe() {
      return "model " + classifier.info().name();
    }

    @Override
    public boolean gated() {
      return false;
    }

    @Override
    public void close() {
      classifier.close();
    }
  }

  /** A gate: gated scores and the decision, from one pass of its views. */
  static final class Gated extends ServedModel {
    private final Gate gate;
    private final ModelInfo info;
    private final List<Output> outputs;

    Gated(Gate gate) {
      if (gate.looksAtOtherFrame()) {
        throw new dev.pixelguard.InputException("this gate also looks at a second camera frame; serving it would "
            + "need a second input per request, which pixelguard serve does not take yet: serve a gate without "
            + "'frame' views");
      }
      this.gate = gate;
      this.info = gate.asClassifier().info();
      int k = info.numClasses();
      this.outputs = List.of(
          new Output(V2Json.PROBABILITIES, "FP32", new long[] {-1, k}),
          new Output(V2Json.LOGITS, "FP32", new long[] {-1, k}),
          new Output(DECISION, "BYTES", new long[] {-1}),
          new Output(CLASS, "INT32", new long[] {-1}),
          new Output(CONFIDENCE, "FP32", new long[] {-1}),
          new Output(REASONS, "BYTES", new long[] {-1}));
    }

    @Override
    public ModelInfo info() {
      return info;
    }

    @Override
    public List<Output> outputs() {
      return outputs;
    }

    @Override
    public List<Row> answer(ImageBatch batch) {
      List<Row> rows = new ArrayList<>(batch.size());
      Gate.Settings s = gate.settings();
      for (Gate.Evidence e : gate.assess(batch)) {
        rows.add(new Row(e.gatedProbabilities(s), e.gatedLogits(s), e.decide(s)));
      }
      return rows;
    }

    @Override
    public String describe() {
      return gate.describe();
    }

    @Override
    public List<String> filters() {
      return gate.views().stream().filter(v -> !v.otherFrame())
          .map(v -> v.classifier().unwrap(dev.pixelguard.defence.TransformedClassifier.class))
          .flatMap(java.util.Optional::stream).map(t -> t.transform().describe()).distinct().toList();
    }

    @Override
    public boolean gated() {
      return true;
    }

    @Override
    public void close() {
      gate.close();
    }
  }
}
