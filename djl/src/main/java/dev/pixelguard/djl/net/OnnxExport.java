package dev.pixelguard.djl.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import dev.pixelguard.InputException;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes one of pixelguard's own networks ({@link NetworkModel}) as a standard ONNX model that ONNX Runtime
 * (Java, Python, C++) and ONNX model servers load:
 *
 * <ul>
 *   <li>IR version {@value #IR_VERSION}, default-domain opset {@value #OPSET};
 *   <li>one input {@value #INPUT}: float [batch, C, H, W], NCHW, values in [0, 1] (8-bit value / 255), the
 *       batch dimension dynamic ({@code dim_param "batch"});
 *   <li>one output {@value #OUTPUT}: float [batch, K], logits (apply softmax for probabilities);
 *   <li>the class names in the model's metadata ({@code metadata_props}) under {@value #CLASSES}, as a JSON list
 *       in label order, with the architecture, input shape, conventions and training provenance beside them.
 * </ul>
 *
 * <p>The network is translated layer by layer from its DJL blocks: convolution to {@code Conv}, ReLU to
 * {@code Relu}, max-pooling to {@code MaxPool}, DJL's batch flatten (a row-major reshape to [N, C*H*W]) to
 * {@code Flatten} with axis 1, a dense layer (weights [out, in]) to {@code Gemm} with {@code transB = 1};
 * dropout is the identity at inference and is left out. Weights are float initializers stored
 * little-endian in {@code raw_data}. The file is written with protobuf-java's {@link CodedOutputStream}, field
 * by field after the ONNX format's schema ({@code onnx.proto}), so no generated code is needed. The output
 * is deterministic: the same network gives the same bytes.
 *
 * <pre>{@code
 * try (NetworkModel net = NetworkModel.load(Path.of("my-cnn.pgm"))) {
 *   OnnxExport.write(net, Path.of("my-cnn.onnx"));
 * }
 * }</pre>
 */
public final class OnnxExport {
  /** The ONNX IR version written (ONNX 1.13 and later read it; ONNX Runtime since 1.14). */
  public static final long IR_VERSION = 8;
  /** The default-domain operator set the graph uses. */
  public static final long OPSET = 17;
  /** The graph's input name. */
  public static final String INPUT = "input";
  /** The graph's output name. */
  public static final String OUTPUT = "logits";
  /** The metadata key of the class names (a JSON list of strings, in label order). */
  public static final String CLASSES = "classes";
  /** The model's producer name. */
  public static final String PRODUCER = "pixelguard";

  private static final ObjectMapper JSON = new ObjectMapper();

  // Field numbers of the ONNX format (onnx.proto), by message.
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_PRODUCER_VERSION = 3;
  private static final int MODEL_MODEL_VERSION = 5;
  private static final int MODEL_DOC_STRING = 6;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  private static final int MODEL_METADATA_PROPS = 14;
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTR_NAME = 1;
  private static final int ATTR_I = 3;
  private static final int ATTR_INTS = 8;
  private static final int ATTR_TYPE = 20;
  private static final int ATTR_TYPE_INT = 2;
  private static final int ATTR_TYPE_INTS = 7;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int TENSOR_FLOAT = 1;
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR_TYPE = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  private OnnxExport() {}

  /**
   * Writes {@code network} as ONNX to {@code file}, atomically (a temporary file beside it, then a move), so
   * a failed export leaves no partial file and an existing file stays as it was.
   *
   * @throws InputException if the folder does not exist or cannot be written, or the network has a layer
   *     with no ONNX translation here
   */
  public static void write(NetworkModel network, Path file) {
    byte[] bytes = toBytes(network);
    ImageFiles.writeAtomically(file, out -> out.write(bytes));
  }

  /**
   * How far an export strays from its network: the largest difference of any class probability between the
   * export, run in ONNX Runtime through the model backends, and the DJL network, over {@code images} random
   * images (seeded, values uniform in [0, 1)). The export must also read back with the network's class names.
   *
   * @throws InputException if pixelguard-onnx's backend is not on the class path
   * @throws IllegalStateException if the export reads back other class names
   */
  public static double strayFrom(NetworkModel network, byte[] export, int images) {
    if (!Models.backends().contains("onnx")) {
      throw new InputException("checking an ONNX export needs ONNX Runtime's model backend (pixelguard-onnx) on the "
          + "class path");
    }
    int[] s = network.inputShape();
    float[] x = new float[images * s[0] * s[1] * s[2]];
    Random r = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    ImageBatch batch = ImageBatch.wrap(images, s[0], s[1], s[2], x);
    // Not closed: closing it would close the network, which belongs to the caller.
    Scores expected = new NetworkClassifier(network, "check").classify(batch);
    Scores got;
    try (Classifier onnx = Models.open(ModelRequest.builder("export of " + network.architecture()).backend("onnx")
        .content(export).build())) {
      if (!onnx.info().classNames().equals(network.classNames())) {
        throw new IllegalStateException("the export reads back other class names: " + onnx.info().classNames());
      }
      got = onnx.classify(batch);
    }
    double worst = 0;
    for (int i = 0; i < images; i++) {
      for (int k = 0; k < expected.numClasses(); k++) {
        worst = Math.max(worst, Math.abs(expected.probability(i, k) - got.probability(i, k)));
      }
    }
    return worst;
  }

  /**
   * The ONNX model of {@code network}, serialised.
   *
   * @throws InputException if the network has a layer with no ONNX translation here
   */
  public static byte[] toBytes(NetworkModel network) {
    int[] in = network.inputShape();
    int k = network.classNames().size();
    Message graph = new Message().string(GRAPH_NAME, network.architecture());
    List<Message> nodes = new ArrayList<>();
    List<Message> initializers = new ArrayList<>();
    translate(network, nodes, initializers);
    nodes.forEach(n -> graph.message(GRAPH_NODE, n));
    initializers.forEach(t -> graph.message(GRAPH_INITIALIZER, t));
    graph.message(GRAPH_INPUT, valueInfo(INPUT, new Object[] {"batch", (long) in[0], (long) in[1], (long) in[2]}));
    graph.message(GRAPH_OUTPUT, valueInfo(OUTPUT, new Object[] {"batch", (long) k}));

    Message model = new Message()
        .int64(MODEL_IR_VERSION, IR_VERSION)
        .message(MODEL_OPSET_IMPORT, new Message().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, OPSET))
        .string(MODEL_PRODUCER_NAME, PRODUCER)
        .string(MODEL_PRODUCER_VERSION, version())
        .int64(MODEL_MODEL_VERSION, 1)
        .string(MODEL_DOC_STRING, "pixelguard network '" + network.architecture() + "': input '" + INPUT
            + "' float [batch, " + in[0] + ", " + in[1] + ", " + in[2] + "] (NCHW, values in [0,1]), output '"
            + OUTPUT + "' float [batch, " + k + "] (logits); class names in metadata '" + CLASSES + "'")
        .message(MODEL_GRAPH, graph);
    for (Map.Entry<String, String> e : metadata(network).entrySet()) {
      model.message(MODEL_METADATA_PROPS, new Message().string(ENTRY_KEY, e.getKey()).string(ENTRY_VALUE, e.getValue()));
    }
    return model.toByteArray();
  }

  /** The metadata written into the model, in order: class names, architecture, conventions, provenance. */
  static Map<String, String> metadata(NetworkModel network) {
    Map<String, String> m = new LinkedHashMap<>();
    try {
      m.put(CLASSES, JSON.writeValueAsString(network.classNames()));
      m.put("architecture", network.architecture());
      m.put("input", JSON.writeValueAsString(network.inputShape()));
      m.put("layout", "NCHW");
      m.put("range", "unit");
      m.put("output", "logits");
      m.put("provenance", JSON.writeValueAsString(network.provenance()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON of plain values failed", e);
    }
    return m;
  }

  private static String version() {
    String v = OnnxExport.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  /** Appends one node per layer (and its weights) and checks the shapes as it goes. */
  private static void translate(NetworkModel network, List<Message> nodes, List<Message> initializers) {
    int[] in = network.inputShape();
    Shape shape = new Shape(1, in[0], in[1], in[2]);
    String current = INPUT;
    List<Pair<String, Block>> layers = new ArrayList<>();
    for (Pair<String, Block> child : network.block().getChildren()) {
      if (!(child.getValue() instanceof Dropout)) {
        layers.add(child);
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      Block b = layers.get(i).getValue();
      Shape next = b.getOutputShapes(new Shape[] {shape})[0];
      String op;
      List<String> inputs = new ArrayList<>(List.of(current));
      Message[] attributes;
      if (b instanceof Conv2d conv) {
        op = "Conv";
        Shape pad = conv.getPadding();
        attributes = new Message[] {
            intsAttribute("kernel_shape", conv.getKernelShape().getShape()),
            intsAttribute("strides", conv.getStride().getShape()),
            intsAttribute("pads", new long[] {pad.get(0), pad.get(1), pad.get(0), pad.get(1)}),
            intsAttribute("dilations", conv.getDilation().getShape()),
            intAttribute("group", conv.getGroups())};
      } else if (b instanceof Linear) {
        op = "Gemm";
        attributes = new Message[] {intAttribute("transB", 1)};
      } else if (b instanceof LambdaBlock lambda) {
        switch (lambda.getName()) {
          case "ReLU" -> {
            op = "Relu";
            attributes = new Message[0];
          }
          case "maxPool2d" -> {
            op = "MaxPool";
            int p = Networks.POOL;
            long[] expected = {shape.get(0), shape.get(1), (shape.get(2) - p) / p + 1, (shape.get(3) - p) / p + 1};
            if (!next.equals(new Shape(expected))) {
              throw unsupported(network, "a max-pooling layer that is not " + p + "x" + p + " with stride " + p);
            }
            attributes = new Message[] {
                intsAttribute("kernel_shape", new long[] {p, p}), intsAttribute("strides", new long[] {p, p})};
          }
          case "batchFlatten" -> {
            op = "Flatten";
            attributes = new Message[] {intAttribute("axis", 1)};
          }
          default -> throw unsupported(network, "the layer '" + lambda.getName() + "'");
        }
      } else {
        throw unsupported(network, "a layer of type " + b.getClass().getSimpleName());
      }
      String name = op.toLowerCase(java.util.Locale.ROOT) + counts.merge(op, 1, Integer::sum);
      if (!b.getParameters().isEmpty()) {
        PairList<String, Parameter> params = b.getParameters();
        for (Pair<String, Parameter> p : params) {
          String tensor = name + "." + p.getKey();
          initializers.add(floatTensor(tensor, p.getValue().getArray().getShape().getShape(),
              p.getValue().getArray().toFloatArray()));
          inputs.add(tensor);
        }
      }
      String out = i == layers.size() - 1 ? OUTPUT : name;
      Message node = new Message();
      inputs.forEach(x -> node.string(NODE_INPUT, x));
      node.string(NODE_OUTPUT, out).string(NODE_NAME, name).string(NODE_OP_TYPE, op);
      for (Message a : attributes) {
        node.message(NODE_ATTRIBUTE, a);
      }
      nodes.add(node);
      current = out;
      shape = next;
    }
    if (shape.dimension() != 2 || shape.get(1) != network.classNames().size()) {
      throw unsupported(network, "an output of shape " + shape + " (not [N, " + network.classNames().size() + "])");
    }
  }

  private static InputException unsupported(NetworkModel network, String what) {
    return new InputException("cannot export network '" + network.architecture() + "' to ONNX: " + what
        + " has no ONNX translation here");
  }

  private static Message intAttribute(String name, long value) {
    return new Message().string(ATTR_NAME, name).int64(ATTR_I, value).int32(ATTR_TYPE, ATTR_TYPE_INT);
  }

  private static Message intsAttribute(String name, long[] values) {
    Message m = new Message().string(ATTR_NAME, name);
    for (long v : values) {
      m.int64(ATTR_INTS, v);
    }
    return m.int32(ATTR_TYPE, ATTR_TYPE_INTS);
  }

  private static Message floatTensor(String name, long[] dims, float[] values) {
    Message t = new Message();
    for (long d : dims) {
      t.int64(TENSOR_DIMS, d);
    }
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return t.int32(TENSOR_DATA_TYPE, TENSOR_FLOAT).string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw.array());
  }

  /** A float tensor's value info; each dimension a Long (fixed) or a String (named, dynamic). */
  private static Message valueInfo(String name, Object[] dims) {
    Message shape = new Message();
    for (Object d : dims) {
      shape.message(SHAPE_DIM, d instanceof String s ? new Message().string(DIM_PARAM, s)
          : new Message().int64(DIM_VALUE, (Long) d));
    }
    Message tensor = new Message().int32(TENSOR_TYPE_ELEM_TYPE, TENSOR_FLOAT).message(TENSOR_TYPE_SHAPE, shape);
    return new Message().string(VALUE_INFO_NAME, name)
        .message(VALUE_INFO_TYPE, new Message().message(TYPE_TENSOR_TYPE, tensor));
  }

  /** One protobuf message being written: fields in the order they are added. */
  private static final class Message {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Message int64(int field, long value) {
      try {
        out.writeInt64(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** int32 and enum fields. */
    Message int32(int field, int value) {
      try {
        out.writeInt32(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Message string(int field, String value) {
      try {
        out.writeString(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Message bytes(int field, byte[] value) {
      try {
        out.writeByteArray(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Message message(int field, Message value) {
      return bytes(field, value.toByteArray());
    }

    byte[] toByteArray() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
  }
}
