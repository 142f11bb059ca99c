package dev.pixelguard.djl.net;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.djl.engine.Engines;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One of pixelguard's own networks with its weights, stored as a single self-describing {@code .pgm} file:
 * the 8 bytes {@code PGMODEL1}, a 4-byte big-endian length, that many bytes of UTF-8 JSON metadata
 * (architecture, input shape, class names, training provenance), then DJL's parameter stream.
 *
 * <p>Owns a DJL {@link Model} (native memory): close it.
 */
public final class NetworkModel implements AutoCloseable {
  /** File extension of pixelguard's model files. */
  public static final String EXTENSION = ".pgm";

  private static final byte[] MAGIC = "PGMODEL1".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Model model;
  private final String architecture;
  private final int[] inputShape;
  private final List<String> classNames;
  private final ObjectNode provenance;

  private NetworkModel(Model model, String architecture, int[] inputShape, List<String> classNames,
      ObjectNode provenance) {
    this.model = model;
    this.architecture = architecture;
    this.inputShape = inputShape.clone();
    this.classNames = List.copyOf(classNames);
    this.provenance = provenance;
  }

  /**
   * A new network with freshly initialised weights (seeded through PyTorch's generator).
   *
   * @param inputShape [C, H, W]
   */
  public static NetworkModel create(String architecture, int[] inputShape, List<String> classNames, long seed) {
    Engines.pytorch().setRandomSeed((int) seed);
    Block block = Networks.build(architecture, classNames.size());
    Model model = Model.newInstance(architecture, "PyTorch");
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, inputShape[0], inputShape[1], inputShape[2]));
    return new NetworkModel(model, architecture, inputShape, classNames, JSON.createObjectNode());
  }

  /**
   * Loads a {@code .pgm} file.
   *
   * @throws InputException if it is missing, truncated or not a pixelguard model
   */
  public static NetworkModel load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("model file not found: " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    } catch (IOException e) {
      throw new InputException("cannot read model " + file + ": " + e.getMessage());
    }
  }

  /** Loads a model from a stream (e.g. a class-path resource); {@code what} names it in errors. */
  public static NetworkModel load(InputStream stream, String what) {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
    ObjectNode meta;
    try {
      byte[] magic = new byte[MAGIC.length];
      int got = in.readNBytes(magic, 0, magic.length);
      if (got < magic.length || !Arrays.equals(magic, MAGIC)) {
        throw new InputException(what + " is not a pixelguard model file (.pgm)");
      }
      int len = in.readInt();
      if (len <= 0 || len > (1 << 24)) {
        throw new InputException(what + " is corrupt: metadata length " + len);
      }
      byte[] json = new byte[len];
      in.readFully(json);
      meta = (ObjectNode) JSON.readTree(json);
    } catch (IOException | ClassCastException e) {
      throw new InputException(what + " is truncated or corrupt ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    }
    String arch = meta.path("architecture").asText();
    int[] shape = new int[3];
    for (int i = 0; i < 3; i++) {
      shape[i] = meta.path("input").path(i).asInt();
    }
    List<String> names = new ArrayList<>();
    meta.path("classes").forEach(n -> names.add(n.asText()));
    if (names.size() < 2 || shape[0] <= 0 || shape[1] <= 0 || shape[2] <= 0) {
      throw new InputException(what + " is corrupt: it lacks an input shape or class names");
    }
    Block block = Networks.build(arch, names.size());
    Engines.pytorch();
    Model model = Model.newInstance(arch, "PyTorch");
    model.setBlock(block);
    try {
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, shape[0], shape[1], shape[2]));
      block.loadParameters(model.getNDManager(), in);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new InputException(what + " has weights that do not load (" + e.getMessage() + ")");
    }
    ObjectNode prov = meta.has("provenance") && meta.get("provenance").isObject()
        ? (ObjectNode) meta.get("provenance") : JSON.createObjectNode();
    return new NetworkModel(model, arch, shape, names, prov);
  }

  /** Writes the model to {@code file} atomically (temporary file, then move). */
  public void save(Path file) {
    ObjectNode meta = JSON.createObjectNode();
    meta.put("format", "pixelguard model 1");
    meta.put("architecture", architecture);
    var input = meta.putArray("input");
    for (int v : inputShape) {
      input.add(v);
    }
    meta.put("layout", "NCHW");
    meta.put("range", "unit");
    meta.put("output", "logits");
    var classes = meta.putArray("classes");
    classNames.forEach(classes::add);
    meta.set("provenance", provenance);
    ImageFiles.writeAtomically(file, out -> {
      DataOutputStream d = new DataOutputStream(out);
      byte[] json = JSON.writeValueAsBytes(meta);
      d.write(MAGIC);
      d.writeInt(json.length);
      d.write(json);
      model.getBlock().saveParameters(d);
      d.flush();
    });
  }

  public Model model() {
    return model;
  }

  public Block block() {
    return model.getBlock();
  }

  public String architecture() {
    return architecture;
  }

  /** [C, H, W]. */
  public int[] inputShape() {
    return inputShape.clone();
  }

  public List<String> classNames() {
    return classNames;
  }

  /** Training provenance (seed, epochs, data, accuracy, ...), mutable by the trainer. */
  public ObjectNode provenance() {
    return provenance;
  }

  @Override
  public void close() {
    model.close();
  }
}
