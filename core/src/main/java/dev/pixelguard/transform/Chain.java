package dev.pixelguard.transform;

import dev.pixelguard.transform.Transform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Several transforms one after the other, e.g. a median filter then JPEG. Step {@code i} gets the
 * {@code i}-th {@code nextLong()} of a {@link SplittableRandom} seeded with the chain's seed. The gradient
 * runs back through every step's {@link Transform#backward} at that step's own input; it is exact only when
 * every step's is.
 *
 * <p>Spec: the steps' specs separated by commas, e.g. {@code median:2,jpeg:75}; {@link #describe()} writes
 * {@code median(size=2), jpeg(quality=75)}, which {@link Transforms#parse} reads back.
 *
 * @param steps the transforms in the order they are applied, at least two
 */
public record Chain(List<Transform> steps) implements Transform {
  public Chain {
    Transforms.require(steps.size() >= 2, "a chain needs at least two transforms, has " + steps.size());
    steps = List.copyOf(steps);
  }

  /** The steps' descriptions, keyed {@code "1"}, {@code "2"}, ... in order. */
  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      p.put(Integer.toString(i + 1), steps.get(i).describe());
    }
    return Collections.unmodifiableMap(p);
  }

  @Override
  public boolean isRandom() {
    return steps.stream().anyMatch(Transform::isRandom);
  }

  @Override
  public boolean exactGradient() {
    return steps.stream().allMatch(Transform::exactGradient);
  }

  /** The steps' descriptions joined by {@code ", "}. */
  @Override
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (Transform t : steps) {
      parts.add(t.describe());
    }
    return String.join(", ", parts);
  }

  @Override
  public void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed) {
    int n = channels * height * width;
    long[] seeds = seeds(seed);
    float[] in = java.util.Arrays.copyOfRange(src, srcOffset, srcOffset + n);
    float[] out = new float[n];
    for (int i = 0; i < steps.size(); i++) {
      steps.get(i).apply(in, 0, channels, height, width, out, 0, seeds[i]);
      float[] t = in;
      in = out;
      out = t;
    }
    System.arraycopy(in, 0, dst, dstOffset, n);
  }

  @Override
  public void backward(float[] src, int offset, int channels, int height, int width, long seed, float[] gradOut,
      float[] gradIn) {
    int n = channels * height * width;
    long[] seeds = seeds(seed);
    float[][] inputs = new float[steps.size()][];
    inputs[0] = java.util.Arrays.copyOfRange(src, offset, offset + n);
    for (int i = 1; i < steps.size(); i++) {
      inputs[i] = new float[n];
      steps.get(i - 1).apply(inputs[i - 1], 0, channels, height, width, inputs[i], 0, seeds[i - 1]);
    }
    float[] g = java.util.Arrays.copyOfRange(gradOut, offset, offset + n);
    for (int i = steps.size() - 1; i >= 0; i--) {
      float[] before = new float[n];
      steps.get(i).backward(inputs[i], 0, channels, height, width, seeds[i], g, before);
      g = before;
    }
    System.arraycopy(g, 0, gradIn, offset, n);
  }

  private long[] seeds(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] out = new long[steps.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextLong();
    }
    return out;
  }

  @Override
  public String toString() {
    return describe();
  }
}
