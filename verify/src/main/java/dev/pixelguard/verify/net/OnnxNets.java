package dev.pixelguard.verify.net;

import dev.pixelguard.InputException;
import dev.pixelguard.model.InputLayout;
import dev.pixelguard.model.ModelGraph;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.verify.net.OnnxProto.Node;
import dev.pixelguard.verify.net.OnnxProto.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model's graph into a {@link Net}, from the model's own weights.
 *
 * <p>Nodes whose inputs are all constant (initializers, {@code Constant}, shape arithmetic such as the
 * {@code ConstantOfShape}, {@code Concat}, {@code Reshape}, {@code Slice}, {@code Transpose} and {@code Cast}
 * chains PyTorch's exporter writes for a padding) are evaluated while reading. The rest must be the operations
 * the verifier bounds: {@code Conv}, {@code BatchNormalization}, {@code Relu}, {@code MaxPool},
 * {@code AveragePool}, {@code GlobalAveragePool}, {@code Add}/{@code Sub} of two tensors (residual branches),
 * {@code Add}/{@code Sub}/{@code Mul}/{@code Div} by a constant, {@code Pad} (constant), {@code Slice} (positive
 * steps), {@code Flatten}, {@code Reshape} to [N, -1], {@code Gemm}, {@code MatMul}, {@code Identity},
 * {@code Dropout}, and a final {@code Softmax} or {@code LogSoftmax} (dropped: it keeps the top class). Anything
 * else is refused in one line naming the node. The model's descriptor (range, mean, std) becomes the first
 * layer, so the net takes the [0, 1] image as pixelguard's classifiers do.
 */
public final class OnnxNets {
  private static final Set<String> PASS = Set.of("Identity", "Dropout");

  private final String what;
  private final Map<String, Tensor> consts = new HashMap<>();
  private final Map<String, Integer> nodeOf = new HashMap<>();
  private final List<Shape> shapes = new ArrayList<>();
  private final List<Layer> layers = new ArrayList<>();
  private final List<int[]> inputs = new ArrayList<>();
  /** Data tensors that are a flattened view of a node ([N, F] in ONNX while the node keeps [C, H, W]). */
  private final Set<String> flat = new java.util.HashSet<>();

  private OnnxNets(String what) {
    this.what = what;
  }

  /**
   * The net of a model graph, with its descriptor applied first.
   *
   * @throws InputException if the graph uses an operation the verifier cannot bound, or its input is not one
   *     NCHW image with 1 or 3 channels
   */
  public static Net read(ModelGraph graph) {
    return new OnnxNets(graph.name()).compile(OnnxProto.read(graph.onnx(), graph.name()), graph.spec());
  }

  private Net compile(OnnxProto.Graph g, ModelSpec spec) {
    consts.putAll(g.initializers());
    OnnxProto.Input in = g.inputs().stream().filter(i -> !consts.containsKey(i.name())).findFirst()
        .orElseThrow(() -> new InputException(what + " has no input"));
    if (g.inputs().stream().filter(i -> !consts.containsKey(i.name())).count() != 1) {
      throw new InputException(what + " has several inputs; the verifier reads one-image classifiers");
    }
    if (spec.layout() == InputLayout.NHWC) {
      throw new InputException(what + " takes NHWC input; the verifier reads NCHW models only (export with NCHW input)");
    }
    Shape input = inputShape(in, spec);
    shapes.add(input);
    nodeOf.put("\u0000image", 0);
    String current = "\u0000image";
    // The descriptor's conventions: x * range, then (x - mean) / std, per channel.
    double scale = spec.range().scale();
    float[] mean = spec.mean();
    float[] std = spec.std();
    if (scale != 1 || mean != null || std != null) {
      double[] a = new double[input.size()];
      double[] b = new double[input.size()];
      int plane = input.h() * input.w();
      for (int c = 0; c < input.c(); c++) {
        double m = mean == null ? 0 : mean[mean.length == 1 ? 0 : c];
        double s = std == null ? 1 : std[std.length == 1 ? 0 : c];
        Arrays.fill(a, c * plane, (c + 1) * plane, scale / s);
        Arrays.fill(b, c * plane, (c + 1) * plane, -m / s);
      }
      current = add("descriptor", new Affine("input scaling", input, a, b), current);
    }
    nodeOf.put(in.name(), nodeOf.get(current));
    List<Node> nodes = g.nodes();
    String output = g.outputs().isEmpty() ? null : g.outputs().get(0);
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
        throw new InputException(what + ": " + n.what() + " is in domain " + n.domain() + ", which the verifier "
            + "does not read");
      }
      boolean allConst = n.inputs().stream().allMatch(s -> s.isEmpty() || consts.containsKey(s));
      if (allConst && !n.op().equals("Shape")) {
        consts.put(n.outputs().get(0), ConstantFolding.evaluate(n, consts, what));
        continue;
      }
      if ((n.op().equals("Softmax") || n.op().equals("LogSoftmax")) && n.outputs().get(0).equals(output)) {
        nodeOf.put(output, nodeOf.get(n.inputs().get(0)));
        continue;
      }
      data(n);
    }
    if (output == null || !nodeOf.containsKey(output)) {
      throw new InputException(what + ": the graph's output is not computed from its input");
    }
    int last = nodeOf.get(output);
    if (last != layers.size()) {
      throw new InputException(what + ": the graph's output is not its last operation");
    }
    return new Net(what, input, layers, inputs);
  }

  private Shape inputShape(OnnxProto.Input in, ModelSpec spec) {
    long[] d = in.dims();
    int[] stated = spec.inputShape();
    if (d.length == 4 && d[1] > 0 && d[2] > 0 && d[3] > 0) {
      return new Shape((int) d[1], (int) d[2], (int) d[3]);
    }
    if (stated != null) {
      return new Shape(stated[0], stated[1], stated[2]);
    }
    throw new InputException(what + ": input " + in.name() + " has shape " + Arrays.toString(d)
        + "; the verifier needs [N, C, H, W] with C, H and W fixed (or state \"input\" in the model's descriptor)");
  }

  private String add(String onnxName, Layer layer, String... from) {
    int[] src = new int[from.length];
    for (int i = 0; i < from.length; i++) {
      src[i] = nodeOf.get(from[i]);
    }
    layers.add(layer);
    inputs.add(src);
    shapes.add(layer.out());
    nodeOf.put(onnxName, shapes.size() - 1);
    return onnxName;
  }

  private Shape shapeOf(String name) {
    return shapes.get(nodeOf.get(name));
  }

  private void data(Node n) {
    String op = n.op();
    List<String> ins = n.inputs();
    String outName = n.outputs().get(0);
    for (String s : ins) {
      if (!s.isEmpty() && !consts.containsKey(s) && !nodeOf.containsKey(s)) {
        throw new InputException(what + ": " + n.what() + " reads " + s + ", which is not computed before it");
      }
    }
    String x = ins.get(0);
    if (op.equals("Shape")) {
      Shape s = shapeOf(x);
      long[] v = flat.contains(x) || s.isVector() ? new long[] {1, s.size()} : new long[] {1, s.c(), s.h(), s.w()};
      consts.put(outName, new Tensor(outName, OnnxProto.INT64, new long[] {v.length}, null, v));
      return;
    }
    if (PASS.contains(op)) {
      nodeOf.put(outName, nodeOf.get(x));
      if (flat.contains(x)) {
        flat.add(outName);
      }
      return;
    }
    if (flat.contains(x) && !op.equals("Gemm") && !op.equals("MatMul")) {
      // A flattened view feeding something other than a dense layer: flatten for real.
      Shape s = shapeOf(x);
      x = add(x + "\u0000flat", new Flatten("Flatten", s), x);
    }
    Shape s = shapeOf(x);
    String label = op + (n.name().isEmpty() ? "" : " " + n.name());
    switch (op) {
      case "Conv" -> conv(n, x, s, label);
      case "Relu" -> add(outName, new Relu(label, s), x);
      case "MaxPool" -> {
        long[] k = need(n, "kernel_shape");
        checkUnit(n, "dilations");
        if (n.intAttr("ceil_mode", 0) != 0) {
          throw new InputException(what + ": " + n.what() + " uses ceil_mode, which the verifier does not read");
        }
        checkAutoPad(n);
        long[] st = n.intsAttr("strides");
        add(outName, new MaxPool(label, s, (int) k[0], (int) k[1], st == null ? 1 : (int) st[0],
            st == null ? 1 : (int) st[1], pads(n)), x);
      }
      case "AveragePool" -> {
        long[] k = need(n, "kernel_shape");
        int[] p = pads(n);
        checkAutoPad(n);
        if (n.intAttr("ceil_mode", 0) != 0 || (n.intAttr("count_include_pad", 0) == 0 && Arrays.stream(p).anyMatch(v -> v != 0))) {
          throw new InputException(what + ": " + n.what() + " pads without counting the pads (or uses ceil_mode), "
              + "which the verifier does not read");
        }
        long[] st = n.intsAttr("strides");
        add(outName, Conv.averagePool(label, s, (int) k[0], (int) k[1], st == null ? 1 : (int) st[0],
            st == null ? 1 : (int) st[1], p), x);
      }
      case "GlobalAveragePool" -> add(outName, new GlobalAveragePool(label, s), x);
      case "BatchNormalization" -> {
        double eps = n.floatAttr("epsilon", 1e-5);
        double[] gamma = constant(n, 1).reals();
        double[] beta = constant(n, 2).reals();
        double[] mean = constant(n, 3).reals();
        double[] var = constant(n, 4).reals();
        double[] a = new double[s.size()];
        double[] b = new double[s.size()];
        int plane = s.h() * s.w();
        for (int c = 0; c < s.c(); c++) {
          double sc = gamma[c] / Math.sqrt(var[c] + eps);
          Arrays.fill(a, c * plane, (c + 1) * plane, sc);
          Arrays.fill(b, c * plane, (c + 1) * plane, beta[c] - mean[c] * sc);
        }
        add(outName, new Affine(label, s, a, b), x);
      }
      case "Add", "Sub", "Mul", "Div" -> arithmetic(n, label);
      case "Pad" -> pad(n, x, s, label);
      case "Slice" -> slice(n, x, s, label);
      case "Flatten" -> {
        if (n.intAttr("axis", 1) != 1) {
          throw new InputException(what + ": " + n.what() + " flattens from axis " + n.intAttr("axis", 1)
              + "; the verifier reads axis 1 only");
        }
        view(x, outName);
      }
      case "Reshape" -> {
        Tensor shape = constant(n, 1);
        long[] t = new long[shape.size()];
        for (int i = 0; i < t.length; i++) {
          t[i] = shape.integer(i);
        }
        boolean toVector = t.length == 2 && (t[1] == -1 || t[1] == s.size()) && (t[0] == -1 || t[0] == 1 || t[0] == 0);
        boolean same = t.length == 4 && t[1] == s.c() && t[2] == s.h() && t[3] == s.w();
        if (same) {
          nodeOf.put(outName, nodeOf.get(x));
        } else if (toVector) {
          view(x, outName);
        } else {
          throw new InputException(what + ": " + n.what() + " reshapes " + s + " to " + Arrays.toString(t)
              + "; the verifier reads reshapes to [N, -1] only");
        }
      }
      case "Gemm" -> gemm(n, ins.get(0), label);
      case "MatMul" -> {
        Tensor b = constant(n, 1);
        if (b.dims().length != 2) {
          throw new InputException(what + ": " + n.what() + " multiplies by a " + b.dims().length + "-D tensor");
        }
        int f = (int) b.dims()[0];
        int o = (int) b.dims()[1];
        Shape in = shapeOf(ins.get(0));
        checkFeatures(n, in, f);
        double[] w = new double[o * f];
        for (int i = 0; i < f; i++) {
          for (int j = 0; j < o; j++) {
            w[j * f + i] = b.real(i * o + j);
          }
        }
        add(outName, new Dense(label, in, o, w, null), ins.get(0));
      }
      default -> throw new InputException(what + ": " + n.what() + " is an operation the verifier cannot bound yet "
          + "(it reads Conv, BatchNormalization, Relu, MaxPool, AveragePool, GlobalAveragePool, Add, Sub, Mul, Div, "
          + "Pad, Slice, Flatten, Reshape, Gemm, MatMul)");
    }
  }

  /** The ONNX tensor {@code to} is x seen as [N, F]: the node keeps its shape, a dense layer reads it row-major. */
  private void view(String x, String to) {
    nodeOf.put(to, nodeOf.get(x));
    if (!shapeOf(x).isVector()) {
      flat.add(to);
    }
  }

  private void checkFeatures(Node n, Shape in, int f) {
    if (in.size() != f) {
      throw new InputException(what + ": " + n.what() + " takes " + f + " features, its input has " + in.size());
    }
  }

  private void conv(Node n, String x, Shape s, String label) {
    Tensor w = constant(n, 1);
    if (w.dims().length != 4) {
      throw new InputException(what + ": " + n.what() + " is not a 2-D convolution");
    }
    checkAutoPad(n);
    int cout = (int) w.dims()[0];
    int groups = (int) n.intAttr("group", 1);
    if (w.dims()[1] * groups != s.c()) {
      throw new InputException(what + ": " + n.what() + " expects " + w.dims()[1] * groups + " channels, gets " + s.c());
    }
    long[] st = n.intsAttr("strides");
    long[] dil = n.intsAttr("dilations");
    double[] b = n.inputs().size() > 2 && !n.inputs().get(2).isEmpty() ? constant(n, 2).reals() : null;
    add(n.outputs().get(0), new Conv(label, s, cout, groups, (int) w.dims()[2], (int) w.dims()[3],
        st == null ? 1 : (int) st[0], st == null ? 1 : (int) st[1], pads(n), dil == null ? 1 : (int) dil[0],
        dil == null ? 1 : (int) dil[1], w.reals(), b), x);
  }

  private void gemm(Node n, String a, String label) {
    if (n.intAttr("transA", 0) != 0) {
      throw new InputException(what + ": " + n.what() + " transposes its input, which the verifier does not read");
    }
    Tensor b = constant(n, 1);
    boolean transB = n.intAttr("transB", 0) != 0;
    double alpha = n.floatAttr("alpha", 1);
    double beta = n.floatAttr("beta", 1);
    int o = (int) (transB ? b.dims()[0] : b.dims()[1]);
    int f = (int) (transB ? b.dims()[1] : b.dims()[0]);
    Shape in = shapeOf(a);
    checkFeatures(n, in, f);
    double[] w = new double[o * f];
    for (int j = 0; j < o; j++) {
      for (int i = 0; i < f; i++) {
        w[j * f + i] = alpha * (transB ? b.real(j * f + i) : b.real(i * o + j));
      }
    }
    double[] bias = null;
    if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
      Tensor c = constant(n, 2);
      bias = new double[o];
      for (int j = 0; j < o; j++) {
        bias[j] = beta * c.real(c.size() == 1 ? 0 : j);
      }
    }
    add(n.outputs().get(0), new Dense(label, in, o, w, bias), a);
  }

  private void arithmetic(Node n, String label) {
    String a = n.inputs().get(0);
    String b = n.inputs().get(1);
    String out = n.outputs().get(0);
    boolean aData = nodeOf.containsKey(a);
    boolean bData = nodeOf.containsKey(b);
    String op = n.op();
    if (aData && bData) {
      if (!op.equals("Add") && !op.equals("Sub")) {
        throw new InputException(what + ": " + n.what() + " multiplies or divides two computed tensors, which the "
            + "verifier cannot bound");
      }
      a = unflat(a);
      b = unflat(b);
      if (!shapeOf(a).equals(shapeOf(b))) {
        throw new InputException(what + ": " + n.what() + " adds " + shapeOf(a) + " and " + shapeOf(b)
            + "; the verifier reads additions of equal shapes only");
      }
      add(out, new Sum(label, shapeOf(a), 1, op.equals("Add") ? 1 : -1), a, b);
      return;
    }
    String x = unflat(aData ? a : b);
    Tensor k = consts.get(aData ? b : a);
    Shape s = shapeOf(x);
    double[] c = broadcast(n, k, s);
    double[] scale = new double[s.size()];
    double[] shift = new double[s.size()];
    for (int i = 0; i < scale.length; i++) {
      switch (op) {
        case "Add" -> {
          scale[i] = 1;
          shift[i] = c[i];
        }
        case "Sub" -> {
          scale[i] = aData ? 1 : -1;
          shift[i] = aData ? -c[i] : c[i];
        }
        case "Mul" -> scale[i] = c[i];
        default -> {
          if (!aData) {
            throw new InputException(what + ": " + n.what() + " divides by a computed tensor, which the verifier "
                + "cannot bound");
          }
          scale[i] = 1 / c[i];
        }
      }
    }
    add(out, new Affine(label, s, scale, shift), x);
  }

  private String unflat(String x) {
    if (!flat.contains(x)) {
      return x;
    }
    String f = x + "\u0000flat";
    if (!nodeOf.containsKey(f)) {
      add(f, new Flatten("Flatten", shapeOf(x)), x);
    }
    return f;
  }

  /** The constant as one value per element of a tensor of shape s (ONNX's [1, C, H, W] or [1, F]), broadcast. */
  private double[] broadcast(Node n, Tensor k, Shape s) {
    long[] kd = k.dims();
    long[] full = s.isVector() ? new long[] {1, s.c()} : new long[] {1, s.c(), s.h(), s.w()};
    if (kd.length > full.length) {
      throw new InputException(what + ": " + n.what() + " has a constant of rank " + kd.length);
    }
    long[] kk = new long[full.length];
    Arrays.fill(kk, 1);
    System.arraycopy(kd, 0, kk, full.length - kd.length, kd.length);
    for (int i = 0; i < full.length; i++) {
      if (kk[i] != 1 && kk[i] != full[i]) {
        throw new InputException(what + ": " + n.what() + " broadcasts a constant of shape " + Arrays.toString(kd)
            + " over " + s);
      }
    }
    double[] out = new double[s.size()];
    int c = s.c();
    int h = s.isVector() ? 1 : s.h();
    int w = s.isVector() ? 1 : s.w();
    long kc = kk[1];
    long kh = full.length == 4 ? kk[2] : 1;
    long kw = full.length == 4 ? kk[3] : 1;
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int idx = (int) (((kc == 1 ? 0 : ch) * kh + (kh == 1 ? 0 : y)) * kw + (kw == 1 ? 0 : x));
          out[(ch * h + y) * w + x] = k.real(idx);
        }
      }
    }
    return out;
  }

  private void pad(Node n, String x, Shape s, String label) {
    if (!n.stringAttr("mode", "constant").equals("constant")) {
      throw new InputException(what + ": " + n.what() + " pads in mode " + n.stringAttr("mode", "") + "; the verifier "
          + "reads constant padding only");
    }
    Tensor p = constant(n, 1);
    if (p.size() != 8) {
      throw new InputException(what + ": " + n.what() + " pads " + p.size() / 2 + " axes; the verifier reads NCHW pads");
    }
    if (n.inputs().size() > 3 && !n.inputs().get(3).isEmpty()) {
      throw new InputException(what + ": " + n.what() + " pads selected axes only, which the verifier does not read");
    }
    int[] pads = new int[6];
    for (int i = 0; i < 3; i++) {
      pads[i] = (int) p.integer(1 + i);
      pads[3 + i] = (int) p.integer(5 + i);
    }
    if (p.integer(0) != 0 || p.integer(4) != 0 || Arrays.stream(pads).anyMatch(v -> v < 0)) {
      throw new InputException(what + ": " + n.what() + " pads the batch or crops, which the verifier does not read");
    }
    double value = n.inputs().size() > 2 && !n.inputs().get(2).isEmpty() ? constant(n, 2).real(0) : 0;
    add(n.outputs().get(0), new Pad(label, s, pads, value), x);
  }

  private void slice(Node n, String x, Shape s, String label) {
    Tensor starts = constant(n, 1);
    Tensor ends = constant(n, 2);
    Tensor axes = n.inputs().size() > 3 && !n.inputs().get(3).isEmpty() ? constant(n, 3) : null;
    Tensor steps = n.inputs().size() > 4 && !n.inputs().get(4).isEmpty() ? constant(n, 4) : null;
    int[] dims = {s.c(), s.h(), s.w()};
    int[] start = {0, 0, 0};
    int[] step = {1, 1, 1};
    int[] count = dims.clone();
    for (int i = 0; i < starts.size(); i++) {
      int axis = axes == null ? i : (int) axes.integer(i);
      axis = axis < 0 ? axis + 4 : axis;
      long st = steps == null ? 1 : steps.integer(i);
      if (axis < 1 || axis > 3 || st <= 0) {
        throw new InputException(what + ": " + n.what() + " slices the batch or steps backwards, which the "
            + "verifier does not read");
      }
      int dim = dims[axis - 1];
      long b = clampIndex(starts.integer(i), dim);
      long e = clampIndex(ends.integer(i), dim);
      start[axis - 1] = (int) b;
      step[axis - 1] = (int) st;
      count[axis - 1] = (int) Math.max(0, (e - b + st - 1) / st);
      if (count[axis - 1] == 0) {
        throw new InputException(what + ": " + n.what() + " slices to nothing");
      }
    }
    add(n.outputs().get(0), new Slice(label, s, start, step, count), x);
  }

  private static long clampIndex(long i, int dim) {
    long v = i < 0 ? i + dim : i;
    return Math.max(0, Math.min(dim, v));
  }

  private Tensor constant(Node n, int input) {
    if (n.inputs().size() <= input || !consts.containsKey(n.inputs().get(input))) {
      throw new InputException(what + ": " + n.what() + " needs input " + input + " to be a constant (its weights)");
    }
    return consts.get(n.inputs().get(input));
  }

  private long[] need(Node n, String attr) {
    long[] v = n.intsAttr(attr);
    if (v == null || v.length != 2) {
      throw new InputException(what + ": " + n.what() + " needs a 2-D " + attr);
    }
    return v;
  }

  private void checkUnit(Node n, String attr) {
    long[] v = n.intsAttr(attr);
    if (v != null && Arrays.stream(v).anyMatch(x -> x != 1)) {
      throw new InputException(what + ": " + n.what() + " uses " + attr + " " + Arrays.toString(v)
          + ", which the verifier does not read");
    }
  }

  private void checkAutoPad(Node n) {
    String p = n.stringAttr("auto_pad", "NOTSET");
    if (!p.equals("NOTSET") && !p.equals("VALID")) {
      throw new InputException(what + ": " + n.what() + " uses auto_pad " + p + "; export with explicit pads");
    }
  }

  /** ONNX pads [top, left, bottom, right] for a 2-D window. */
  private int[] pads(Node n) {
    long[] p = n.intsAttr("pads");
    if (p == null || p.length == 0) {
      return new int[4];
    }
    if (p.length != 4) {
      throw new InputException(what + ": " + n.what() + " has " + p.length + " pads, expected 4");
    }
    return new int[] {(int) p[0], (int) p[1], (int) p[2], (int) p[3]};
  }
}
