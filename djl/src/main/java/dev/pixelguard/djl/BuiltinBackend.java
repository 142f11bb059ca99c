package dev.pixelguard.djl;

import dev.pixelguard.InputException;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelBackend;
import dev.pixelguard.model.ModelRequest;
import java.util.Locale;

/**
 * The models inside pixelguard-djl's jar, by name: {@code builtin:fashion-cnn} and
 * {@code builtin:fashion-cnn-pgd} ({@link DefaultBundle#names()}). They carry their own conventions, so the
 * request's descriptor is not used. They classify through ONNX Runtime and take gradients from DJL
 * ({@link BundledClassifier}). Registered in {@code META-INF/services/dev.pixelguard.model.ModelBackend}.
 */
public final class BuiltinBackend implements ModelBackend {
  @Override
  public String name() {
    return "builtin";
  }

  @Override
  public boolean handles(String location) {
    return location.regionMatches(true, 0, DefaultBundle.PREFIX, 0, DefaultBundle.PREFIX.length());
  }

  /**
   * @throws InputException if the name is not one of {@link DefaultBundle#names()}
   */
  @Override
  public Classifier open(ModelRequest request) {
    String name = request.location();
    if (handles(name)) {
      name = DefaultBundle.PREFIX + name.substring(DefaultBundle.PREFIX.length()).toLowerCase(Locale.ROOT);
    }
    Classifier c = DefaultBundle.byName(name, request.threads());
    if (c == null) {
      throw new InputException("no bundled model " + request.location() + "; there are "
          + String.join(", ", DefaultBundle.names()));
    }
    return c;
  }
}
