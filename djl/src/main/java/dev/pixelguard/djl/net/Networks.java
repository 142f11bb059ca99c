package dev.pixelguard.djl.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import dev.pixelguard.InputException;
import java.util.List;

/**
 * The networks pixelguard defines and trains itself. Each takes NCHW input with values in [0, 1] and
 * outputs logits [N, K].
 */
public final class Networks {
  /** Name of {@link #smallCnn}. */
  public static final String SMALL_CNN = "small-cnn";

  /** Window and stride of every max-pooling layer in these networks (read by {@link OnnxExport}). */
  public static final int POOL = 2;

  /** Name of {@link #cnn224}. */
  public static final String CNN_224 = "cnn-224";

  /** Every architecture name {@link #build} knows. */
  public static final List<String> NAMES = List.of(SMALL_CNN, CNN_224);

  private Networks() {}

  /**
   * Builds an architecture by name.
   *
   * @throws InputException for an unknown name
   */
  public static Block build(String name, int classes) {
    if (SMALL_CNN.equals(name)) {
      return smallCnn(classes);
    }
    if (CNN_224.equals(name)) {
      return cnn224(classes);
    }
    throw new InputException("unknown network architecture '" + name + "'; known: " + String.join(", ", NAMES));
  }

  /**
   * A small convolutional network for 224x224 RGB images, of the layers {@link OnnxExport} translates (strided
   * convolutions do the early downsampling): conv 4x4 stride 4 (16) - ReLU - max-pool 2 - conv 3x3 (32) - ReLU -
   * max-pool 2 - conv 3x3 stride 2 (64) - ReLU - max-pool 2 - dense K. About 7 M multiply-adds per image (ResNet-18
   * takes 1.8 G) and 30 K parameters: its input, 150,528 values per image, is what it costs in memory. Untrained
   * its weights are only random (seeded): it serves to measure what a 224x224 input costs, not to classify.
   */
  public static Block cnn224(int classes) {
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(4, 4)).optStride(new Shape(4, 4)).setFilters(16).build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(POOL, POOL), new Shape(POOL, POOL)))
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(POOL, POOL), new Shape(POOL, POOL)))
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2)).optPadding(new Shape(1, 1))
            .setFilters(64).build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(POOL, POOL), new Shape(POOL, POOL)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  /**
   * A small convolutional network for 28x28 or 32x32 images, about 0.42 M parameters at 28x28:
   * conv 3x3 (32) - ReLU - max-pool 2 - conv 3x3 (64) - ReLU - max-pool 2 - dense 128 - ReLU - dropout 0.25 -
   * dense K. No batch normalisation, so inference and gradients do not depend on a train/eval mode beyond
   * dropout.
   */
  public static Block smallCnn(int classes) {
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(POOL, POOL), new Shape(POOL, POOL)))
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(64).build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(POOL, POOL), new Shape(POOL, POOL)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(128).build())
        .add(Activation.reluBlock())
        .add(Dropout.builder().optRate(0.25f).build())
        .add(Linear.builder().setUnits(classes).build());
  }
}
