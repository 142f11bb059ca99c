package dev.pixelguard.djl.engine;

import ai.djl.engine.Engine;

/**
 * Access to DJL's PyTorch engine, never downloading: the native library is the Maven jar
 * {@code pytorch-native-cpu} on the class path.
 */
public final class Engines {
  /**
   * DJL's PyTorch gradient collector is process-wide: a second one opened while another is open fails. Every
   * input-gradient computation holds this lock.
   */
  public static final Object GRADIENTS = new Object();

  private Engines() {}

  /** The PyTorch engine, in offline mode. */
  public static Engine pytorch() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    return Engine.getEngine("PyTorch");
  }
}
