package dev.pixelguard.model;

import dev.pixelguard.InputException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to open and how: the input of {@link Models#open(ModelRequest)} and {@link ModelBackend#open}.
 * Immutable; build one with {@link #builder(String)}:
 *
 * <pre>{@code
 * ModelRequest r = ModelRequest.builder("resnet20.pt")
 *     .spec(Models.descriptorFor(Path.of("resnet20.pt")))
 *     .dataShape(3, 32, 32)
 *     .build();
 * try (Classifier c = Models.open(r)) { ... }
 * }</pre>
 *
 * @param location a local file path ({@code models/resnet20.onnx}) or a name with a scheme
 *     ({@code builtin:fashion-cnn})
 * @param spec the model's descriptor, already resolved (sidecar or {@code --spec}, then overrides);
 *     {@link ModelSpec#DEFAULT} when none. Backends whose models carry their own conventions (pixelguard's
 *     networks, the bundled models) ignore it, except its temperature, which {@link Models#open(ModelRequest)}
 *     applies to every model
 * @param backend the name of the backend to use instead of the one chosen from the location, or null
 * @param threads intra-op threads for ONNX Runtime, or 0 for its default (one per core)
 * @param dataShape [C, H, W] of the images the model will see, or null: a hint for models that do not
 *     record their input shape (TorchScript), used only when {@code spec} has no input shape
 * @param options settings for the backend by name, such as a remote model's {@code timeout} or {@code retries}
 *     (in the manner of DJL's {@code Criteria.optOption}); each backend documents the ones it reads and
 *     ignores the rest; never null
 * @param content the model's bytes, for a model that is no file here (a bundled model's export), or null:
 *     backends that read files read these instead, and {@code location} only names the model
 * @param defence a {@link ModelDefence} spec ({@code masking:lattice:6}) that {@link Models#open(ModelRequest)}
 *     wraps the opened model in, after its temperature; null for none. Backends never see it
 */
public record ModelRequest(String location, ModelSpec spec, String backend, int threads, int[] dataShape,
    Map<String, String> options, byte[] content, String defence) implements java.io.Serializable {

  /**
   * Checks and copies.
   *
   * @throws InputException if the location is empty, threads negative or the data shape not of rank 3
   */
  public ModelRequest {
    Objects.requireNonNull(location, "location");
    if (location.isBlank()) {
      throw new InputException("model location must not be empty");
    }
    spec = spec == null ? ModelSpec.DEFAULT : spec;
    if (backend != null && backend.isBlank()) {
      backend = null;
    }
    if (threads < 0) {
      throw new InputException("threads must be 0 (the default) or more, was " + threads);
    }
    if (dataShape != null) {
      if (dataShape.length != 3) {
        throw new InputException("data shape must be [C, H, W], was " + Arrays.toString(dataShape));
      }
      dataShape = dataShape.clone();
    }
    options = options == null ? Map.of() : Map.copyOf(options);
    if (defence != null && defence.isBlank()) {
      defence = null;
    }
  }

  /** The model's bytes, or null when it is read from {@link #location()}; a copy. */
  @Override
  public byte[] content() {
    return content == null ? null : content.clone();
  }

  /** A request for the location with default settings. */
  public static ModelRequest of(String location) {
    return builder(location).build();
  }

  /** A builder for the location: descriptor {@link ModelSpec#DEFAULT}, backend by name, default threads. */
  public static Builder builder(String location) {
    return new Builder(location);
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    return new Builder(location).spec(spec).backend(backend).threads(threads).dataShape(dataShape).options(options)
        .content(content).defence(defence);
  }

  /** [C, H, W] of the images, or null; a copy. */
  @Override
  public int[] dataShape() {
    return dataShape == null ? null : dataShape.clone();
  }

  /**
   * The location as a local file path, for backends that read files.
   *
   * @throws InputException if the location has a scheme or is not a valid path here
   */
  public Path file() {
    if (ModelBackend.schemeOf(location) != null) {
      throw new InputException("model " + location + " is not a local file");
    }
    try {
      return Path.of(location);
    } catch (InvalidPathException e) {
      throw new InputException("model " + location + " is not a valid file path: " + e.getReason());
    }
  }

  /** The descriptor, with the data shape as input shape when the descriptor has none and a hint was given. */
  public ModelSpec specWithDataShape() {
    return spec.inputShape() == null && dataShape != null ? spec.withInputShape(dataShape) : spec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelRequest r && location.equals(r.location) && spec.equals(r.spec)
        && Objects.equals(backend, r.backend) && threads == r.threads && Arrays.equals(dataShape, r.dataShape)
        && options.equals(r.options) && Arrays.equals(content, r.content) && Objects.equals(defence, r.defence);
  }

  @Override
  public int hashCode() {
    return Objects.hash(location, spec, backend, threads, Arrays.hashCode(dataShape), options, Arrays.hashCode(content),
        defence);
  }

  @Override
  public String toString() {
    return "ModelRequest[location=" + location + ", spec=" + spec + ", backend=" + backend + ", threads=" + threads
        + ", dataShape=" + Arrays.toString(dataShape) + ", options=" + options
        + (content == null ? "" : ", content=" + content.length + " bytes")
        + (defence == null ? "" : ", defence=" + defence) + "]";
  }

  /** Builds a {@link ModelRequest}; every setting but the location is optional. */
  public static final class Builder {
    private final String location;
    private ModelSpec spec = ModelSpec.DEFAULT;
    private String backend;
    private int threads;
    private int[] dataShape;
    private final Map<String, String> options = new LinkedHashMap<>();
    private byte[] content;
    private String defence;

    private Builder(String location) {
      this.location = location;
    }

    /** The resolved descriptor (default {@link ModelSpec#DEFAULT}). */
    public Builder spec(ModelSpec v) {
      spec = v;
      return this;
    }

    /** Use this backend by name instead of choosing by the location; null to choose. */
    public Builder backend(String v) {
      backend = v;
      return this;
    }

    /** ONNX Runtime intra-op threads, 0 for its default. */
    public Builder threads(int v) {
      threads = v;
      return this;
    }

    /** [C, H, W] of the images, or null. */
    public Builder dataShape(int... v) {
      dataShape = v;
      return this;
    }

    /** A backend setting by name ({@code timeout}, {@code retries} for remote models); null removes it. */
    public Builder option(String name, String value) {
      if (value == null) {
        options.remove(name);
      } else {
        options.put(name, value);
      }
      return this;
    }

    /** Every setting of {@code all}, added to those already given. */
    public Builder options(Map<String, String> all) {
      all.forEach(this::option);
      return this;
    }

    /** The model's bytes, when it is no file here; null (the default) to read {@code location}. */
    public Builder content(byte[] v) {
      content = v == null ? null : v.clone();
      return this;
    }

    /** A {@link ModelDefence} spec to wrap the model in ({@link Defences}), or null (the default) for none. */
    public Builder defence(String v) {
      defence = v;
      return this;
    }

    public ModelRequest build() {
      return new ModelRequest(location, spec, backend, threads, dataShape, options, content, defence);
    }
  }
}
