package dev.pixelguard.model;

import dev.pixelguard.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The {@link ModelDefence}s on the class path, by name, behind {@link Models#defend} and its siblings: a spec is
 * {@code NAME} or {@code NAME:ARGS}.
 */
final class Defences {
  private Defences() {}

  /**
   * The defended classifier for {@code spec} around {@code model}; {@code model} itself when {@code spec} is null.
   *
   * @throws InputException when no defence of that name is installed, or its arguments are refused
   */
  static Classifier apply(Classifier model, String spec) {
    if (spec == null) {
      return model;
    }
    return find(spec).wrap(model, args(spec));
  }

  /**
   * Checks a spec without a model: its defence is installed and takes these arguments.
   *
   * @throws InputException otherwise, in one line that names the installed defences
   */
  static void check(String spec) {
    find(spec).check(args(spec));
  }

  /** The installed defences' names, in class-path order. */
  static List<String> names() {
    return load().stream().map(ModelDefence::name).toList();
  }

  private static ModelDefence find(String spec) {
    String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
    String key = name.trim().toLowerCase(Locale.ROOT);
    List<ModelDefence> all = load();
    return all.stream().filter(d -> d.name().equals(key)).findFirst()
        .orElseThrow(() -> new InputException("unknown defence '" + name + "'" + (all.isEmpty()
            ? ": none is installed (pixelguard-certify provides masking and masking-gate)"
            : "; installed: " + String.join(", ", names()))));
  }

  private static String args(String spec) {
    return spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : "";
  }

  private static List<ModelDefence> load() {
    List<ModelDefence> out = new ArrayList<>();
    ServiceLoader.load(ModelDefence.class).forEach(out::add);
    if (out.isEmpty()) {
      ServiceLoader.load(ModelDefence.class, Defences.class.getClassLoader()).forEach(out::add);
    }
    return out;
  }
}
