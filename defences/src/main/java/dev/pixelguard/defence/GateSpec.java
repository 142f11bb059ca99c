package dev.pixelguard.defence;

import dev.pixelguard.InputException;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.TemperatureScaled;
import dev.pixelguard.transform.Transform;
import dev.pixelguard.transform.Transforms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A gate as written in a small JSON file ({@code gate.json}): the models (each with the temperature that
 * calibrates it), the transformed views, the fusion rule, the thresholds and the fallback, and where they
 * were fitted. {@code pixelguard gate fit} writes it; {@code predict --gate}, {@code evaluate --gate} and
 * {@link #open(List)} read it ({@code dev.pixelguard.io.GateFile} reads and writes the file). Model paths are stored relative to the file's folder, so a gate moves with its
 * models. See docs/defences.md for the format.
 *
 * @param models the models, the reference first; each is looked at plain and through every view transform
 * @param views transform specs such as {@code median:2} (see {@link Transforms#parse})
 * @param frameViews views of the scene's other frame (a second camera's), which the attacker of the image does
 *     not control; empty for a gate that decides on the image alone
 * @param settings fusion and thresholds; its fallback is resolved from {@code fallbackText} against the first
 *     model's classes when the gate is opened ({@link #fallback(ModelInfo)})
 * @param fallbackText the fallback as written ({@code abstain} or {@code class:NAME})
 * @param seed the root seed of random transforms
 * @param fitted where and how the thresholds were fitted, for people; may be empty
 * @param classes the class names the gate was fitted with, given to models that have none of their own (so a
 *     gate served or evaluated on a folder answers "dog", not "5"); empty when they are the models' own
 */
public record GateSpec(List<Member> models, List<String> views, List<FrameView> frameViews, Gate.Settings settings,
    String fallbackText, long seed, Map<String, Object> fitted, List<String> classes)
    implements java.io.Serializable {

  /**
   * One model of the gate.
   *
   * @param location a model file (absolute, or relative to the gate file's folder once written) or
   *     {@code builtin:NAME}
   * @param temperature the temperature that calibrates it, or NaN for none
   */
  public record Member(String location, double temperature) implements java.io.Serializable {
    public Member {
      if (!Double.isNaN(temperature) && !(temperature > 0 && Double.isFinite(temperature))) {
        throw new InputException("a temperature must be positive and finite, was " + temperature);
      }
    }
  }

  /**
   * A view of the scene's other frame: model {@code model} (its index in {@link #models()}, 0 for the reference),
   * calibrated like its views of the image, on the other frame, through {@code transform} when one is given.
   *
   * @param model the model's index
   * @param transform a transform spec such as {@code impulse:0.3}, or null for the plain frame
   */
  public record FrameView(int model, String transform) implements java.io.Serializable {
    public FrameView {
      if (model < 0) {
        throw new InputException("a frame view names a model by its index from 0, was " + model);
      }
      if (transform != null && transform.isBlank()) {
        transform = null;
      }
      if (transform != null) {
        Transforms.parse(transform);
      }
    }

    /**
     * Reads {@code M} or {@code M:TRANSFORM}, e.g. {@code 0} or {@code 1:impulse:0.3}: the model's index, then
     * optionally a transform spec.
     */
    public static FrameView parse(String text) {
      String t = text.trim();
      int colon = t.indexOf(':');
      String index = colon < 0 ? t : t.substring(0, colon);
      try {
        return new FrameView(Integer.parseInt(index.trim()), colon < 0 ? null : t.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new InputException("a frame view is a model's index from 0, optionally with a transform, e.g. 0 or "
            + "1:impulse:0.3; was '" + text + "'");
      }
    }

    /** As {@link #parse} reads it. */
    public String describe() {
      return transform == null ? String.valueOf(model) : model + ":" + transform;
    }
  }

  /**
   * Inference threads per call of each model a gate opens (a backend's thread setting, such as ONNX Runtime's
   * intra-op threads): one, as the gate itself runs its calls side by side ({@link Gate#parallelism()}).
   */
  public static final int ENGINE_THREADS = 1;

  public GateSpec {
    if (models.isEmpty()) {
      throw new InputException("a gate needs at least one model");
    }
    models = List.copyOf(models);
    views = List.copyOf(views);
    for (String v : views) {
      Transforms.parse(v); // refuses an unknown transform before any model is opened
    }
    frameViews = List.copyOf(frameViews);
    for (FrameView f : frameViews) {
      if (f.model() >= models.size()) {
        throw new InputException("a frame view names model " + f.model() + " but the gate has " + models.size()
            + " model(s), numbered from 0");
      }
    }
    fitted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fitted));
    classes = classes == null ? List.of() : List.copyOf(classes);
  }

  /** A gate with class names of its own only where its models have them. */
  public GateSpec(List<Member> models, List<String> views, List<FrameView> frameViews, Gate.Settings settings,
      String fallbackText, long seed, Map<String, Object> fitted) {
    this(models, views, frameViews, settings, fallbackText, seed, fitted, List.of());
  }

  /** This gate with these class names for models that have none ({@link #classes()}). */
  public GateSpec withClasses(List<String> names) {
    return new GateSpec(models, views, frameViews, settings, fallbackText, seed, fitted, names);
  }

  /** A gate that decides on the image alone (no views of another frame). */
  public GateSpec(List<Member> models, List<String> views, Gate.Settings settings, String fallbackText, long seed,
      Map<String, Object> fitted) {
    this(models, views, List.of(), settings, fallbackText, seed, fitted);
  }

  /**
   * Opens the models and builds the gate: for every model (calibrated by its temperature) a plain view and one
   * view per transform, then the views of the other frame. The gate owns the models. Each model runs a call on
   * one engine thread ({@link #ENGINE_THREADS}): the gate runs its model passes side by side on one thread per
   * core, which keeps every core busy without the engines' own thread pools contending for them (ONNX Runtime
   * sessions of two threads each, two at once on two cores, did 0.8 as many passes a second).
   *
   * @param dataClassNames class names to give models that have none when the gate records none of its own
   *     ({@link #classes()}), or null
   */
  public Gate open(List<String> dataClassNames) {
    return open(dataClassNames, null);
  }

  /**
   * As {@link #open(List)}, for images of shape {@code dataShape} [C, H, W] (used by models that do not
   * record their input shape, such as TorchScript; may be null).
   */
  public Gate open(List<String> dataClassNames, int[] dataShape) {
    List<String> given = classes.isEmpty() ? dataClassNames : classes;
    List<Classifier> opened = new ArrayList<>();
    try {
      List<Gate.View> vs = new ArrayList<>();
      List<Classifier> calibrated = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Member m : models) {
        ModelRequest.Builder request = Models.request(m.location()).toBuilder().threads(ENGINE_THREADS);
        if (dataShape != null) {
          request.dataShape(dataShape);
        }
        Classifier c = Models.open(request.build());
        opened.add(c);
        if (!c.info().hasNames() && given != null && given.size() == c.info().numClasses()) {
          c = dev.pixelguard.model.Classifiers.withClassNames(c, given);
        }
        if (!Double.isNaN(m.temperature())) {
          c = TemperatureScaled.of(c, m.temperature());
        }
        String name = c.info().name() + (Double.isNaN(m.temperature()) ? ""
            : String.format(Locale.ROOT, " (T=%.3f)", m.temperature()));
        vs.add(new Gate.View(name, c));
        for (String v : views) {
          Transform t = Transforms.parse(v);
          vs.add(new Gate.View(name + " + " + t.describe(), TransformedClassifier.of(c, t, seed)));
        }
        calibrated.add(c);
        names.add(name);
      }
      for (FrameView f : frameViews) {
        Classifier c = calibrated.get(f.model());
        String name = names.get(f.model()) + " on the other frame";
        if (f.transform() == null) {
          vs.add(new Gate.View(name, c, true));
        } else {
          Transform t = Transforms.parse(f.transform());
          vs.add(new Gate.View(name + " + " + t.describe(), TransformedClassifier.of(c, t, seed), true));
        }
      }
      ModelInfo info = vs.get(0).classifier().info();
      Gate.Settings s = new Gate.Settings(settings.fusion(), settings.alarm(), settings.minConfidence(),
          settings.maxSqueeze(), fallback(info));
      return new Gate(vs, s, opened);
    } catch (RuntimeException e) {
      opened.forEach(Classifier::close);
      throw e;
    }
  }

  /** The fallback, with a class named by name resolved against {@code info} once the models are open. */
  public Fallback fallback(ModelInfo info) {
    return fallbackOf(fallbackText, info);
  }

  /**
   * The fallback as a gate file writes it ({@code abstain} or {@code class:NAME}), checked before any model is
   * open; a class named by name is resolved when the gate is opened ({@link #fallback(ModelInfo)}).
   *
   * @throws InputException for anything else
   */
  public static Fallback parseFallback(String text) {
    return fallbackOf(text, null);
  }

  private static Fallback fallbackOf(String text, ModelInfo info) {
    if (info == null) {
      String t = text.trim();
      if (t.equalsIgnoreCase("abstain")) {
        return Fallback.ABSTAIN;
      }
      if (t.regionMatches(true, 0, "class:", 0, 6)) {
        return new Fallback(-1); // resolved by name once the models are open
      }
      throw new InputException("unknown fallback '" + text + "'; give abstain or class:NAME");
    }
    return Fallback.parse(text, info);
  }

}
