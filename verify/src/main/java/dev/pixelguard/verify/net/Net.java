package dev.pixelguard.verify.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A classifier's computation as a straight-line program of {@link Layer}s over one image, from the [0, 1]
 * image (C x H x W, as pixelguard's classifiers take it) to the logits: what the verifier propagates bounds
 * through. Node 0 is the image; layer i writes node i + 1 from earlier nodes; the last node holds the logits.
 * Read one from an ONNX model with {@link OnnxNets#read}. Immutable and safe to share between threads.
 */
public final class Net {
  private final String name;
  private final Shape input;
  private final List<Layer> layers;
  private final int[][] inputs;
  /** Per node, the last layer that reads it. */
  private final int[] lastUse;

  Net(String name, Shape input, List<Layer> layers, List<int[]> inputs) {
    this.name = name;
    this.input = input;
    this.layers = List.copyOf(layers);
    this.inputs = inputs.toArray(new int[0][]);
    this.lastUse = new int[layers.size() + 1];
    java.util.Arrays.fill(lastUse, Integer.MAX_VALUE); // the logits (and an unread node) are kept
    for (int i = 0; i < this.inputs.length; i++) {
      for (int q : this.inputs[i]) {
        lastUse[q] = lastUse[q] == Integer.MAX_VALUE ? i : Math.max(lastUse[q], i);
      }
    }
    if (layers.isEmpty() || !out().isVector()) {
      throw new IllegalArgumentException(name + " must end in a vector of class scores");
    }
  }

  public String name() {
    return name;
  }

  /** [C, H, W] of the images it takes. */
  public Shape inputShape() {
    return input;
  }

  public int classes() {
    return out().c();
  }

  private Shape out() {
    return layers.get(layers.size() - 1).out();
  }

  /** One line per layer, for logs and reports. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Layer l : layers) {
      out.add(l.describe() + " -> " + l.out());
    }
    return Collections.unmodifiableList(out);
  }

  /** The clean pass: every node's value for the image ([0, 1], C x H x W). */
  public Trace trace(double[] image) {
    if (image.length != input.size()) {
      throw new IllegalArgumentException("image has " + image.length + " values, the network takes " + input);
    }
    double[][] values = new double[layers.size() + 1][];
    values[0] = image.clone();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      values[i + 1] = l.forward(valuesOf(values, i));
    }
    return new Trace(values);
  }

  /** The logits for the image, in double precision. */
  public double[] logits(double[] image) {
    return trace(image).output();
  }

  /**
   * Bounds on class t's margins over every colour of the box at pixel (y, x), all else as in the trace's
   * image: for each other class j, a lower bound on logit_t - logit_j that holds for every colour in the box,
   * in exact arithmetic with the model's weights.
   */
  public Margins margins(Trace trace, int y, int x, Box box, int t) {
    return margins(trace, y, x, box, t, 0);
  }

  /**
   * As {@link #margins(Trace, int, int, Box, int)} (which makes none), giving error symbols of their own to at
   * most {@code errors} unstable ReLUs (0: every relaxation goes into a radius). More are tighter and cost a row
   * of every later layer each.
   */
  public Margins margins(Trace trace, int y, int x, Box box, int t, int errors) {
    int vars = input.c();
    if (box.channels() != vars) {
      throw new IllegalArgumentException("box has " + box.channels() + " channels, the image " + vars);
    }
    Zone[] zones = new Zone[layers.size() + 1];
    Domain dom = new Domain(box, errors);
    Zone z0 = new Zone(input, vars, y, y + 1, x, x + 1);
    for (int c = 0; c < vars; c++) {
      int j = z0.at(c, y, x);
      z0.d[0][j] = -trace.values[0][input.index(c, y, x)];
      z0.d[c + 1][j] = 1;
    }
    zones[0] = z0;
    int last = layers.size() - 1;
    boolean foldLast = layers.get(last) instanceof Dense;
    int upto = foldLast ? last : layers.size();
    for (int i = 0; i < upto; i++) {
      Zone[] in = zonesOf(zones, i);
      zones[i + 1] = unreached(in) ? Zone.none(layers.get(i).out(), dom.symbols())
          : layers.get(i).bound(in, valuesOf(trace.values, i), trace.values[i + 1], dom);
      for (int q : inputs[i]) {
        if (lastUse[q] == i) {
          zones[q] = null; // read by no later layer: with many error symbols a zone is large
        }
      }
    }
    if (foldLast) {
      int src = inputs[last][0];
      return ((Dense) layers.get(last)).margins(zones[src], trace.values[src], dom, t);
    }
    return differences(zones[layers.size()], trace.values[layers.size()], dom, t);
  }

  private static Margins differences(Zone z, double[] clean, Domain dom, int t) {
    int k = clean.length;
    double[] lower = new double[k];
    double[][] coef = new double[k][];
    double[] radius = new double[k];
    for (int j = 0; j < k; j++) {
      if (j == t) {
        lower[j] = Double.POSITIVE_INFINITY;
        continue;
      }
      double[] a = new double[z.vars + 1];
      for (int q = 0; q <= z.vars; q++) {
        a[q] = z.d[q][t] - z.d[q][j];
      }
      a[0] += clean[t] - clean[j];
      Margins.Bound m = Margins.Bound.of(a, z.r[t] + z.r[j], z.vars, dom);
      coef[j] = m.coef();
      radius[j] = m.radius();
      lower[j] = m.lower();
    }
    return new Margins(t, lower, coef, radius);
  }

  /** Whether every input's zone is empty: the pixel does not reach the layer, so no layer need handle that. */
  private static boolean unreached(Zone[] in) {
    for (Zone z : in) {
      if (!z.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private Zone[] zonesOf(Zone[] zones, int layer) {
    Zone[] out = new Zone[inputs[layer].length];
    for (int q = 0; q < out.length; q++) {
      out[q] = zones[inputs[layer][q]];
    }
    return out;
  }

  private double[][] valuesOf(double[][] values, int layer) {
    double[][] out = new double[inputs[layer].length][];
    for (int q = 0; q < out.length; q++) {
      out[q] = values[inputs[layer][q]];
    }
    return out;
  }
}
