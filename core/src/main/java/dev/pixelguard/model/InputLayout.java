package dev.pixelguard.model;

/** Memory layout of a model's input tensor. */
public enum InputLayout {
  /** [N, C, H, W]: PyTorch, most ONNX exports. */
  NCHW,
  /** [N, H, W, C]: TensorFlow/Keras exports. */
  NHWC
}
