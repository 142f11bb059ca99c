package dev.pixelguard.djl;

import dev.pixelguard.djl.engine.Engines;
import dev.pixelguard.djl.engine.Losses;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.EngineClassifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.OutputKind;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.model.TensorCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link Classifier} over a TorchScript file ({@code torch.jit.trace} or {@code script}), run by DJL's
 * PyTorch engine in inference mode, with exact evaluation-mode input gradients ({@link GradientClassifier}).
 *
 * <p>How the gradients stay those of evaluation mode: DJL's {@code forward(..., training)} ties two switches
 * together, the module's train/eval mode and whether autograd records. {@code training=false} records
 * nothing; {@code training=true} also puts batch normalisation on batch statistics and updates its running
 * averages. So the module is loaded with its tensors as ordinary (not inference) tensors
 * ({@code trainParam}), put in eval mode once, and gradient passes call the module's forward method directly
 * with recording on, never touching its mode. Parameters do not require gradients, so only the input's is
 * computed, and nothing about the model changes.
 *
 * <p>TorchScript files do not record their input shape, so the spec must give it ({@code "input": [C, H, W]})
 * or the caller passes it, e.g. from the images to classify; the class count is read from one probe
 * forward pass. Thread-safe for inference.
 */
public final class TorchScriptClassifier extends EngineClassifier implements GradientClassifier {
  private final ZooModel<NDList, NDList> model;
  private final PtSymbolBlock block;

  private TorchScriptClassifier(ZooModel<NDList, NDList> model, TensorCodec codec) {
    super(codec);
    this.model = model;
    this.block = (PtSymbolBlock) model.getBlock();
  }

  /**
   * @param spec the model's conventions; {@code inputShape} is required
   * @throws InputException if the file is missing, not TorchScript, or does not output [N, K]
   */
  public static TorchScriptClassifier load(Path file, ModelSpec spec) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("model file not found: " + file);
    }
    int[] shape = spec.inputShape();
    if (shape == null) {
      throw new InputException("TorchScript model " + file + " does not record its input shape; declare \"input\": "
          + "[C, H, W] in its descriptor");
    }
    Engines.pytorch();
    ZooModel<NDList, NDList> model;
    try {
      Criteria<NDList, NDList> criteria = Criteria.builder()
          .setTypes(NDList.class, NDList.class)
          .optModelPath(file.toAbsolutePath())
          .optEngine("PyTorch")
          .optTranslator(new NoopTranslator())
          .optOption("trainParam", "true")
          .build();
      model = criteria.loadModel();
      JniUtils.enableInferenceMode((PtSymbolBlock) model.getBlock());
      for (var p : model.getBlock().getParameters()) {
        if (p.getValue().isInitialized()) {
          p.getValue().getArray().setRequiresGradient(false);
        }
      }
    } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
      throw new InputException("cannot load TorchScript model " + file + ": " + InputException.firstLine(e.getMessage()));
    }
    try {
      int k;
      try (NDManager m = model.getNDManager().newSubManager()) {
        NDArray probe = m.zeros(new Shape(1, shape[0], shape[1], shape[2]));
        if (spec.layout() == dev.pixelguard.model.InputLayout.NHWC) {
          probe = m.zeros(new Shape(1, shape[1], shape[2], shape[0]));
        }
        NDList out = model.getBlock().forward(new ParameterStore(m, false), new NDList(probe), false);
        Shape os = out.get(0).getShape();
        if (os.dimension() != 2) {
          throw new InputException("TorchScript model " + file + " outputs shape " + os
              + " for one image; a classifier outputs [N, classes]");
        }
        k = (int) os.get(1);
      } catch (InputException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InputException("TorchScript model " + file + " does not take input " + java.util.Arrays.toString(shape)
            + ": " + InputException.firstLine(e.getMessage()));
      }
      if (!spec.classNames().isEmpty() && spec.classNames().size() != k) {
        throw new InputException("TorchScript model " + file + " has " + k + " classes but " + spec.classNames().size()
            + " class names were given");
      }
      ModelInfo info = new ModelInfo(shape[0], shape[1], shape[2], k, spec.classNames(),
          file.getFileName().toString());
      return new TorchScriptClassifier(model, new TensorCodec(spec, info, null));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  @Override
  protected Scores scores(ImageBatch batch) {
    return inCallsOf(CHUNK_VALUES, batch, this::forward);
  }

  /**
   * Input values per call into libtorch: about 150,000 (50 CIFAR-10 images). libtorch's CPU convolutions slow down
   * on large batches, whose activations outgrow the caches: measured on ResNet-20 here, batches of 50 ran at 2,071
   * images/s and batches of 400 at 1,222 (docs/benchmarks.md), where ONNX Runtime keeps its rate. So a large batch
   * is run as consecutive calls of this size; the scores are the same, image by image.
   */
  static final int CHUNK_VALUES = 50 * 3 * 32 * 32;

  private Scores forward(java.nio.FloatBuffer values, int n) {
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x = m.create(values, new Shape(codec().inputShape(n)));
      NDList out = model.getBlock().forward(new ParameterStore(m, false), new NDList(x), false);
      NDArray y = out.get(0);
      return codec().decode(y.getShape().getShape(), y.toFloatArray(), n);
    } catch (InputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InputException("PyTorch failed on a batch of " + n + ": " + InputException.firstLine(e.getMessage()));
    }
  }


  @Override
  public LossGradient lossGradient(ImageBatch batch, dev.pixelguard.model.Loss lossKind, int[] classes) {
    return call(() -> gradient(batch, lossKind, classes));
  }

  private LossGradient gradient(ImageBatch batch, dev.pixelguard.model.Loss lossKind, int[] classes) {
    int n = batch.size();
    int k = info().numClasses();
    Losses.check(classes, n, k);
    synchronized (Engines.GRADIENTS) {
      try (NDManager m = model.getNDManager().newSubManager();
          GradientCollector gc = model.getNDManager().getEngine().newGradientCollector()) {
        NDArray x = m.create(codec().encode(batch), new Shape(codec().inputShape(n)));
        x.setRequiresGradient(true);
        // Recording on, module mode untouched (eval since loading): see the class comment.
        NDArray y = IValueUtils.forward(block, new NDList(x), true).get(0);
        Scores s = codec().decode(y.getShape().getShape(), y.toFloatArray(), n);
        NDArray logp = codec().outputKind() == OutputKind.LOGITS ? y.logSoftmax(1) : y.clip(1e-30f, 1f).log();
        NDArray loss = Losses.of(m, logp, lossKind, classes);
        gc.backward(loss.sum());
        return new LossGradient(s, loss.toFloatArray(), codec().batchGradient(x.getGradient().toFloatArray(), n));
      } catch (InputException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InputException("PyTorch failed to differentiate a batch of " + n + ": "
            + InputException.firstLine(e.getMessage()));
      }
    }
  }

  /** Waits for the calls in flight (a stop unwinding on another thread), then frees the model. */
  @Override
  public void close() {
    closeEngine(model::close);
  }
}
