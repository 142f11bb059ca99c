package dev.pixelguard.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.EngineClassifier;
import dev.pixelguard.model.InputLayout;
import dev.pixelguard.model.InputShape;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.model.TensorCodec;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@link Classifier} over an ONNX model, run by ONNX Runtime on the CPU.
 *
 * <pre>{@code
 * try (OnnxClassifier model = OnnxClassifier.load(Path.of("resnet20.onnx"), ModelSpec.DEFAULT)) {
 *   Scores s = model.classify(ImageBatch.of(images));
 * }
 * }</pre>
 *
 * <p>The model must take one float tensor of rank 4 (NCHW or NHWC; the layout is read from the model when
 * the channel axis is unambiguous) and give a float [N, K] tensor as its first output. Input height and
 * width come from the model, or from the spec when the model leaves them dynamic. Class names come from the
 * spec, else from the model's metadata ({@link #CLASSES_METADATA}). Thread-safe: ONNX
 * Runtime sessions may be run concurrently.
 */
public final class OnnxClassifier extends EngineClassifier {
  /**
   * The metadata key ({@code metadata_props}) whose value, a JSON list of strings, gives the class names in
   * label order when the descriptor gives none. pixelguard's ONNX export writes it.
   */
  public static final String CLASSES_METADATA = "classes";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;

  private OnnxClassifier(OrtEnvironment env, OrtSession session, String inputName, TensorCodec codec) {
    super(codec);
    this.env = env;
    this.session = session;
    this.inputName = inputName;
  }

  /** Loads with one intra-op thread per core. */
  public static OnnxClassifier load(Path file, ModelSpec spec) {
    return load(file, spec, 0);
  }

  /**
   * @param threads intra-op threads, or 0 for one per core
   * @throws InputException if the file is missing, is not a valid ONNX model, or its input or output is not
   *     that of an image classifier
   */
  public static OnnxClassifier load(Path file, ModelSpec spec, int threads) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("model file not found: " + file);
    }
    return open(file.toString(), file.getFileName().toString(), spec, threads, null);
  }

  /**
   * Loads a model held in memory (such as one inside a jar).
   *
   * @param name names the model in messages and reports
   * @param threads intra-op threads, or 0 for one per core
   * @throws InputException if the bytes are not a valid ONNX model, or its input or output is not that of an
   *     image classifier
   */
  public static OnnxClassifier load(byte[] model, String name, ModelSpec spec, int threads) {
    return open(name, name, spec, threads, model);
  }

  private static OnnxClassifier open(String what, String name, ModelSpec spec, int threads, byte[] bytes) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // 0 means one thread per core, set here rather than left to ONNX Runtime: its own default follows the
      // physical cores it detects, which on some virtual machines is one for two cores (measured here: half the
      // throughput of two threads).
      opts.setIntraOpNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
      session = bytes == null ? env.createSession(what, opts) : env.createSession(bytes, opts);
    } catch (OrtException e) {
      throw new InputException("cannot load ONNX model " + what + ": " + InputException.firstLine(e.getMessage()));
    }
    try {
      return create(what, name, spec, env, session);
    } catch (RuntimeException | OrtException e) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // already failing
      }
      if (e instanceof InputException ie) {
        throw ie;
      }
      throw new InputException("cannot use ONNX model " + what + ": " + InputException.firstLine(e.getMessage()));
    }
  }

  private static OnnxClassifier create(String file, String name, ModelSpec spec, OrtEnvironment env,
      OrtSession session) throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1) {
      throw new InputException("ONNX model " + file + " has " + inputs.size() + " inputs; an image classifier has one");
    }
    NodeInfo in = inputs.values().iterator().next();
    if (!(in.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT || ti.getShape().length != 4) {
      String what = in.getInfo() instanceof TensorInfo t
          ? "a " + t.type.name().toLowerCase(java.util.Locale.ROOT) + " tensor of shape " + Arrays.toString(t.getShape())
          : "not a tensor";
      throw new InputException("ONNX model " + file + ": input '" + in.getName() + "' is " + what
          + "; an image classifier takes a float tensor of rank 4 (NCHW or NHWC)");
    }
    long[] ishape = ti.getShape();
    InputLayout shown = InputShape.evident(ishape);
    if (spec.layoutStated() && spec.layout() == InputLayout.NCHW && shown == InputLayout.NHWC) {
      throw new InputException("ONNX model " + file + " takes " + Arrays.toString(ishape) + ", channels last (NHWC), "
          + "but the layout was given as NCHW; drop --layout (or the descriptor's layout) or give NHWC");
    }
    if (spec.layoutStated() && spec.layout() == InputLayout.NHWC && shown == InputLayout.NCHW) {
      throw new InputException("ONNX model " + file + " takes " + Arrays.toString(ishape) + ", channels first (NCHW), "
          + "but the layout was given as NHWC; drop --layout (or the descriptor's layout) or give NCHW");
    }
    InputShape input = InputShape.read(ishape, spec, "ONNX model " + file, "the model's",
        "declare \"input\": [C, H, W] in its descriptor");
    ModelSpec s = input.spec();
    int c = input.channels();
    int h = input.height();
    int w = input.width();
    if (c != 1 && c != 3) {
      throw new InputException("ONNX model " + file + " takes " + c + " channels; pixelguard handles 1 or 3");
    }
    NodeInfo out = session.getOutputInfo().values().iterator().next();
    if (!(out.getInfo() instanceof TensorInfo oi) || oi.type != OnnxJavaType.FLOAT) {
      throw new InputException("ONNX model " + file + ": output '" + out.getName() + "' is not a float tensor");
    }
    long[] oshape = oi.getShape();
    if (oshape.length != 2) {
      throw new InputException("ONNX model " + file + ": output '" + out.getName() + "' has shape "
          + Arrays.toString(oshape) + "; a classifier outputs [N, classes]");
    }
    int k = (int) oshape[1];
    if (s.classNames().isEmpty()) {
      List<String> recorded = metadataClassNames(session);
      if (recorded != null && (k <= 0 || recorded.size() == k)) {
        s = s.withClassNames(recorded);
      }
    }
    if (k <= 0) {
      k = s.classNames().size();
    }
    if (k <= 0) {
      throw new InputException("ONNX model " + file + " does not state its class count; list \"classes\" in its descriptor");
    }
    if (!s.classNames().isEmpty() && s.classNames().size() != k) {
      throw new InputException("ONNX model " + file + " has " + k + " classes but " + s.classNames().size()
          + " class names were given");
    }
    ModelInfo info = new ModelInfo(c, h, w, k, s.classNames(), name);
    return new OnnxClassifier(env, session, in.getName(), new TensorCodec(s, info, out.getName()));
  }

  /**
   * The class names the model records in its metadata under {@value #CLASSES_METADATA} (a JSON list of
   * strings, as pixelguard's ONNX export writes it), or null when it records none or they do not parse.
   */
  private static List<String> metadataClassNames(OrtSession session) throws OrtException {
    return ModelSpec.classNamesFromJson(session.getMetadata().getCustomMetadataValue(CLASSES_METADATA).orElse(null));
  }

  @Override
  protected Scores scores(ImageBatch batch) {
    FloatBuffer input = codec().encode(batch);
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, codec().inputShape(batch.size()));
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      OnnxValue v = result.get(0);
      if (!(v instanceof OnnxTensor out)) {
        throw new InputException("the model's first output is not a tensor");
      }
      long[] shape = out.getInfo().getShape();
      FloatBuffer fb = out.getFloatBuffer();
      float[] values = new float[fb.remaining()];
      fb.get(values);
      return codec().decode(shape, values, batch.size());
    } catch (OrtException e) {
      throw new InputException("ONNX Runtime failed on a batch of " + batch.size() + ": " + InputException.firstLine(e.getMessage()));
    }
  }

  /** Waits for the calls in flight, then closes the session. */
  @Override
  public void close() {
    closeEngine(() -> {
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("closing the ONNX session failed", e);
      }
    });
  }
}
