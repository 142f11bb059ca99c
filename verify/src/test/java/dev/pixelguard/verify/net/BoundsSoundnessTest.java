package dev.pixelguard.verify.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every transfer function is sound: on random networks using every layer the verifier knows (convolutions with
 * stride and padding, residual sums, the option-A shortcut's slice and channel padding, max and average pooling,
 * global average pooling, dense layers), the margin bounds over a colour box hold at every colour sampled in
 * it, computed independently by the plain forward pass.
 */
class BoundsSoundnessTest {
  private static double[] gaussian(Random r, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian() * scale;
    }
    return v;
  }

  /** A small residual network over 3x8x8 images with every kind of layer. */
  static Net randomResidual(long seed) {
    Random r = new Random(seed);
    Shape in = new Shape(3, 8, 8);
    List<Layer> layers = new ArrayList<>();
    List<int[]> inputs = new ArrayList<>();
    double[] a = new double[in.size()];
    double[] b = new double[in.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = 4;
      b[i] = -2;
    }
    layers.add(new Affine("normalise", in, a, b)); // node 1
    inputs.add(new int[] {0});
    Conv c1 = new Conv("conv1", in, 4, 1, 3, 3, 1, 1, new int[] {1, 1, 1, 1}, 1, 1, gaussian(r, 4 * 3 * 9, 0.4),
        gaussian(r, 4, 0.2));
    layers.add(c1); // node 2
    inputs.add(new int[] {1});
    layers.add(new Relu("relu1", c1.out())); // node 3
    inputs.add(new int[] {2});
    Conv c2 = new Conv("conv2", c1.out(), 4, 1, 3, 3, 1, 1, new int[] {1, 1, 1, 1}, 1, 1, gaussian(r, 4 * 4 * 9, 0.3),
        gaussian(r, 4, 0.2));
    layers.add(c2); // node 4
    inputs.add(new int[] {3});
    layers.add(new Sum("residual", c2.out(), 1, 1)); // node 5
    inputs.add(new int[] {4, 3});
    layers.add(new Relu("relu2", c2.out())); // node 6
    inputs.add(new int[] {5});
    Conv c3 = new Conv("conv3 stride 2", c2.out(), 8, 2, 3, 3, 2, 2, new int[] {1, 1, 1, 1}, 1, 1,
        gaussian(r, 8 * 2 * 9, 0.4), gaussian(r, 8, 0.2));
    layers.add(c3); // node 7: 8x4x4
    inputs.add(new int[] {6});
    Slice sl = new Slice("shortcut slice", c2.out(), new int[] {0, 0, 0}, new int[] {1, 2, 2}, new int[] {4, 4, 4});
    layers.add(sl); // node 8: 4x4x4
    inputs.add(new int[] {6});
    Pad pad = new Pad("shortcut pad", sl.out(), new int[] {2, 0, 0, 2, 0, 0}, 0);
    layers.add(pad); // node 9: 8x4x4
    inputs.add(new int[] {8});
    layers.add(new Sum("residual 2", c3.out(), 1, -0.5)); // node 10
    inputs.add(new int[] {7, 9});
    layers.add(new Relu("relu3", c3.out())); // node 11
    inputs.add(new int[] {10});
    MaxPool mp = new MaxPool("maxpool", c3.out(), 2, 2, 1, 1, new int[] {0, 0, 1, 1});
    layers.add(mp); // node 12: 8x4x4
    inputs.add(new int[] {11});
    Conv avg = Conv.averagePool("avgpool", mp.out(), 2, 2, 2, 2, new int[] {0, 0, 0, 0});
    layers.add(avg); // node 13: 8x2x2
    inputs.add(new int[] {12});
    GlobalAveragePool gap = new GlobalAveragePool("gap", avg.out());
    Dense d1 = new Dense("dense on 8x2x2", avg.out(), 6, gaussian(r, 6 * 32, 0.5), gaussian(r, 6, 0.2));
    layers.add(d1); // node 14
    inputs.add(new int[] {13});
    layers.add(new Relu("relu4", d1.out())); // node 15
    inputs.add(new int[] {14});
    layers.add(new Dense("logits", d1.out(), 5, gaussian(r, 5 * 6, 0.8), gaussian(r, 5, 0.2))); // node 16
    inputs.add(new int[] {15});
    assertEquals(Shape.vector(8), gap.out());
    return new Net("random residual " + seed, in, layers, inputs);
  }

  /** Conv - ReLU - GAP - Flatten - Dense - Softmax-free affine at the end: the generic (not folded) margin path. */
  static Net randomPlain(long seed) {
    Random r = new Random(seed);
    Shape in = new Shape(1, 6, 6);
    List<Layer> layers = new ArrayList<>();
    List<int[]> inputs = new ArrayList<>();
    Conv c1 = new Conv("conv", in, 5, 1, 3, 3, 1, 1, new int[] {0, 0, 0, 0}, 1, 1, gaussian(r, 45, 0.8),
        gaussian(r, 5, 0.3));
    layers.add(c1);
    inputs.add(new int[] {0});
    layers.add(new Relu("relu", c1.out()));
    inputs.add(new int[] {1});
    Flatten f = new Flatten("flatten", c1.out());
    layers.add(f);
    inputs.add(new int[] {2});
    Dense d = new Dense("dense", f.out(), 4, gaussian(r, 4 * f.out().size(), 0.4), gaussian(r, 4, 0.2));
    layers.add(d);
    inputs.add(new int[] {3});
    double[] s = {1.5, 0.5, 2, 1};
    layers.add(new Affine("scale", d.out(), s, new double[] {0.1, -0.2, 0, 0.3}));
    inputs.add(new int[] {4});
    return new Net("random plain " + seed, in, layers, inputs);
  }

  private static void check(Net net, long seed, int trials) {
    Random r = new Random(seed * 31 + 7);
    Shape s = net.inputShape();
    int checked = 0;
    for (int t = 0; t < trials; t++) {
      double[] image = new double[s.size()];
      for (int i = 0; i < image.length; i++) {
        image[i] = r.nextInt(256) / 255.0;
      }
      Trace trace = net.trace(image);
      double[] clean = trace.output();
      int label = r.nextInt(clean.length);
      int y = r.nextInt(s.h());
      int x = r.nextInt(s.w());
      double[] lo = new double[s.c()];
      double[] hi = new double[s.c()];
      double width = t % 3 == 0 ? 1 : t % 3 == 1 ? 0.3 : 0.05;
      for (int k = 0; k < s.c(); k++) {
        lo[k] = r.nextDouble() * (1 - width);
        hi[k] = lo[k] + width;
      }
      Box box = new Box(lo, hi);
      // Every relaxation into the radius, a few error symbols then the radius, or as many as the pass makes.
      int errors = (t / 3) % 3 == 0 ? 0 : (t / 3) % 3 == 1 ? 2 : 1000;
      Margins m = net.margins(trace, y, x, box, label, errors);
      for (int q = 0; q < 40; q++) {
        double[] v = new double[s.c()];
        for (int k = 0; k < s.c(); k++) {
          v[k] = q < (1 << s.c()) ? (((q >> k) & 1) == 0 ? lo[k] : hi[k]) : lo[k] + r.nextDouble() * width;
        }
        double[] changed = image.clone();
        for (int k = 0; k < s.c(); k++) {
          changed[s.index(k, y, x)] = v[k];
        }
        double[] logits = net.logits(changed);
        for (int j = 0; j < logits.length; j++) {
          if (j == label) {
            continue;
          }
          double margin = logits[label] - logits[j];
          assertTrue(margin >= m.lower()[j] - 1e-9, net.name() + ": margin " + margin + " below its bound "
              + m.lower()[j] + " at " + java.util.Arrays.toString(v) + " in " + box);
          double affine = m.coef()[j][0] - m.radius()[j];
          for (int k = 0; k < s.c(); k++) {
            affine += m.coef()[j][k + 1] * v[k];
          }
          assertTrue(margin >= affine - 1e-9, net.name() + ": margin below its affine lower bound");
          checked++;
        }
      }
      // A point box is exact: the bound is the margin itself.
      double[] v = new double[s.c()];
      for (int k = 0; k < s.c(); k++) {
        v[k] = image[s.index(k, y, x)];
      }
      Margins exact = net.margins(trace, y, x, Box.point(v), label);
      for (int j = 0; j < clean.length; j++) {
        if (j != label) {
          assertEquals(clean[label] - clean[j], exact.lower()[j], 1e-9);
        }
      }
    }
    assertTrue(checked > trials * 40, "too few checks: " + checked);
  }

  @Test
  void residualNetworkBoundsHoldAtSampledColours() {
    for (long seed = 1; seed <= 6; seed++) {
      check(randomResidual(seed), seed, 30);
    }
  }

  @Test
  void plainNetworkBoundsHoldAtSampledColours() {
    for (long seed = 1; seed <= 6; seed++) {
      check(randomPlain(seed), seed, 30);
    }
  }

  @Test
  void boundsTightenAsTheBoxShrinks() {
    Net net = randomResidual(3);
    double[] image = new double[net.inputShape().size()];
    java.util.Arrays.fill(image, 0.5);
    Trace trace = net.trace(image);
    int label = 0;
    double previous = Double.NEGATIVE_INFINITY;
    for (double w : new double[] {1, 0.25, 0.05, 0.01}) {
      double[] lo = {0.5 - w / 2, 0.5 - w / 2, 0.5 - w / 2};
      double[] hi = {0.5 + w / 2, 0.5 + w / 2, 0.5 + w / 2};
      double bound = net.margins(trace, 4, 4, new Box(lo, hi), label).lower()[1];
      assertTrue(bound >= previous - 1e-9, "bound loosened from " + previous + " to " + bound + " at width " + w);
      previous = bound;
    }
  }
}
