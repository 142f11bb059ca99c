package dev.pixelguard.verify.net;

import dev.pixelguard.InputException;
import dev.pixelguard.verify.net.OnnxProto.Node;
import dev.pixelguard.verify.net.OnnxProto.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Evaluates an ONNX node whose inputs are all constant: the shape arithmetic exporters write (PyTorch's
 * padding of a residual shortcut, for one) and constant weights' preparation.
 */
final class ConstantFolding {
  private ConstantFolding() {}

  static Tensor evaluate(Node n, Map<String, Tensor> consts, String what) {
    String out = n.outputs().get(0);
    Tensor x = n.inputs().isEmpty() || n.inputs().get(0).isEmpty() ? null : consts.get(n.inputs().get(0));
    return switch (n.op()) {
      case "Constant" -> constant(n, out, what);
      case "Identity", "Dropout" -> rename(x, out);
      case "Cast" -> cast(x, (int) n.intAttr("to", OnnxProto.FLOAT), out);
      case "ConstantOfShape" -> {
        long[] dims = longs(x);
        long count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        OnnxProto.Attribute v = n.attributes().get("value");
        Tensor t = v == null ? null : v.t();
        if (t == null || !t.isInteger()) {
          double[] r = new double[(int) count];
          Arrays.fill(r, t == null ? 0 : t.real(0));
          yield new Tensor(out, OnnxProto.FLOAT, dims, r, null);
        }
        long[] r = new long[(int) count];
        Arrays.fill(r, t.integer(0));
        yield new Tensor(out, t.dataType(), dims, null, r);
      }
      case "Concat" -> concat(n, consts, out, what);
      case "Reshape" -> reshape(x, longs(consts.get(n.inputs().get(1))), out, what);
      case "Unsqueeze", "Squeeze", "Flatten" -> squeeze(n, x, consts, out);
      case "Transpose" -> transpose(x, n.intsAttr("perm"), out, what);
      case "Slice" -> slice(n, x, consts, out, what);
      case "Gather" -> gather(n, x, consts.get(n.inputs().get(1)), out, what);
      case "Add", "Sub", "Mul", "Div" -> arithmetic(n, x, consts.get(n.inputs().get(1)), out, what);
      default -> throw new InputException(what + ": " + n.what() + " on constants is an operation the verifier "
          + "does not evaluate");
    };
  }

  private static Tensor constant(Node n, String out, String what) {
    OnnxProto.Attribute v = n.attributes().get("value");
    if (v != null && v.t() != null) {
      return rename(v.t(), out);
    }
    OnnxProto.Attribute f = n.attributes().get("value_float");
    if (f != null) {
      return new Tensor(out, OnnxProto.FLOAT, new long[0], new double[] {f.f()}, null);
    }
    OnnxProto.Attribute fs = n.attributes().get("value_floats");
    if (fs != null) {
      return new Tensor(out, OnnxProto.FLOAT, new long[] {fs.floats().length}, fs.floats(), null);
    }
    OnnxProto.Attribute i = n.attributes().get("value_int");
    if (i != null) {
      return new Tensor(out, OnnxProto.INT64, new long[0], null, new long[] {i.i()});
    }
    OnnxProto.Attribute is = n.attributes().get("value_ints");
    if (is != null) {
      return new Tensor(out, OnnxProto.INT64, new long[] {is.ints().length}, null, is.ints());
    }
    throw new InputException(what + ": " + n.what() + " has no value the verifier reads");
  }

  private static Tensor rename(Tensor t, String out) {
    return new Tensor(out, t.dataType(), t.dims(), t.reals(), t.ints());
  }

  private static long[] longs(Tensor t) {
    long[] v = new long[t.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.integer(i);
    }
    return v;
  }

  private static Tensor cast(Tensor x, int to, String out) {
    boolean integer = to == OnnxProto.INT64 || to == OnnxProto.INT32 || to == OnnxProto.INT8 || to == OnnxProto.UINT8
        || to == OnnxProto.BOOL;
    if (integer) {
      return new Tensor(out, to, x.dims(), null, longs(x));
    }
    double[] r = new double[x.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = to == OnnxProto.FLOAT ? (float) x.real(i) : x.real(i);
    }
    return new Tensor(out, to, x.dims(), r, null);
  }

  private static Tensor concat(Node n, Map<String, Tensor> consts, String out, String what) {
    long axis = n.intAttr("axis", 0);
    Tensor first = consts.get(n.inputs().get(0));
    if (first.dims().length != 1 || (axis != 0 && axis != -1)) {
      throw new InputException(what + ": " + n.what() + " concatenates constants of rank " + first.dims().length
          + "; the verifier folds 1-D concatenations only");
    }
    int total = 0;
    for (String s : n.inputs()) {
      total += consts.get(s).size();
    }
    boolean integer = first.isInteger();
    long[] li = integer ? new long[total] : null;
    double[] lr = integer ? null : new double[total];
    int at = 0;
    for (String s : n.inputs()) {
      Tensor t = consts.get(s);
      for (int i = 0; i < t.size(); i++, at++) {
        if (integer) {
          li[at] = t.integer(i);
        } else {
          lr[at] = t.real(i);
        }
      }
    }
    return new Tensor(out, first.dataType(), new long[] {total}, lr, li);
  }

  private static Tensor reshape(Tensor x, long[] shape, String out, String what) {
    long[] dims = shape.clone();
    long known = 1;
    int free = -1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == 0) {
        dims[i] = x.dims()[i];
      }
      if (dims[i] == -1) {
        free = i;
      } else {
        known *= dims[i];
      }
    }
    if (free >= 0) {
      dims[free] = x.size() / Math.max(1, known);
    }
    return new Tensor(out, x.dataType(), dims, x.reals(), x.ints());
  }

  private static Tensor squeeze(Node n, Tensor x, Map<String, Tensor> consts, String out) {
    long[] axes = n.intsAttr("axes");
    if (axes == null && n.inputs().size() > 1) {
      axes = longs(consts.get(n.inputs().get(1)));
    }
    long[] d = x.dims();
    long[] nd;
    switch (n.op()) {
      case "Flatten" -> {
        long lead = 1;
        long axis = n.intAttr("axis", 1);
        for (int i = 0; i < axis && i < d.length; i++) {
          lead *= d[i];
        }
        nd = new long[] {lead, x.size() / Math.max(1, lead)};
      }
      case "Unsqueeze" -> {
        int rank = d.length + axes.length;
        nd = new long[rank];
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
          inserted[(int) (a < 0 ? a + rank : a)] = true;
        }
        for (int i = 0, j = 0; i < rank; i++) {
          nd[i] = inserted[i] ? 1 : d[j++];
        }
      }
      default -> nd = Arrays.stream(d).filter(v -> v != 1).toArray();
    }
    return new Tensor(out, x.dataType(), nd, x.reals(), x.ints());
  }

  private static Tensor transpose(Tensor x, long[] perm, String out, String what) {
    long[] d = x.dims();
    if (d.length <= 1) {
      return rename(x, out);
    }
    if (d.length != 2) {
      throw new InputException(what + ": the verifier folds transposes of 2-D constants only");
    }
    if (perm != null && perm[0] == 0) {
      return rename(x, out);
    }
    int r = (int) d[0];
    int c = (int) d[1];
    long[] li = x.isInteger() ? new long[x.size()] : null;
    double[] lr = x.isInteger() ? null : new double[x.size()];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        if (li != null) {
          li[j * r + i] = x.integer(i * c + j);
        } else {
          lr[j * r + i] = x.real(i * c + j);
        }
      }
    }
    return new Tensor(out, x.dataType(), new long[] {c, r}, lr, li);
  }

  private static Tensor slice(Node n, Tensor x, Map<String, Tensor> consts, String out, String what) {
    long[] d = x.dims();
    int rank = d.length;
    long[] first = new long[rank];
    long[] step = new long[rank];
    long[] count = d.clone();
    Arrays.fill(step, 1);
    Tensor starts = consts.get(n.inputs().get(1));
    Tensor ends = consts.get(n.inputs().get(2));
    Tensor axes = n.inputs().size() > 3 && !n.inputs().get(3).isEmpty() ? consts.get(n.inputs().get(3)) : null;
    Tensor steps = n.inputs().size() > 4 && !n.inputs().get(4).isEmpty() ? consts.get(n.inputs().get(4)) : null;
    for (int i = 0; i < starts.size(); i++) {
      int axis = axes == null ? i : (int) axes.integer(i);
      axis = axis < 0 ? axis + rank : axis;
      long dim = d[axis];
      long st = steps == null ? 1 : steps.integer(i);
      if (st == 0) {
        throw new InputException(what + ": " + n.what() + " has step 0");
      }
      long b = starts.integer(i);
      long e = ends.integer(i);
      b = b < 0 ? b + dim : b;
      e = e < 0 ? e + dim : e;
      if (st > 0) {
        b = Math.max(0, Math.min(dim, b));
        e = Math.max(0, Math.min(dim, e));
        count[axis] = Math.max(0, (e - b + st - 1) / st);
      } else {
        b = Math.max(-1, Math.min(dim - 1, b));
        e = Math.max(-1, Math.min(dim - 1, e));
        count[axis] = Math.max(0, (b - e + (-st) - 1) / (-st));
      }
      first[axis] = b;
      step[axis] = st;
    }
    int size = (int) Arrays.stream(count).reduce(1, (p, q) -> p * q);
    long[] li = x.isInteger() ? new long[size] : null;
    double[] lr = x.isInteger() ? null : new double[size];
    long[] idx = new long[rank];
    for (int o = 0; o < size; o++) {
      long rem = o;
      long src = 0;
      for (int ax = rank - 1; ax >= 0; ax--) {
        idx[ax] = rem % count[ax];
        rem /= count[ax];
      }
      for (int ax = 0; ax < rank; ax++) {
        src = src * d[ax] + first[ax] + idx[ax] * step[ax];
      }
      if (li != null) {
        li[o] = x.integer((int) src);
      } else {
        lr[o] = x.real((int) src);
      }
    }
    return new Tensor(out, x.dataType(), count, lr, li);
  }

  private static Tensor gather(Node n, Tensor x, Tensor indices, String out, String what) {
    if (x.dims().length != 1 || n.intAttr("axis", 0) != 0) {
      throw new InputException(what + ": the verifier folds gathers from 1-D constants only");
    }
    long[] li = x.isInteger() ? new long[indices.size()] : null;
    double[] lr = x.isInteger() ? null : new double[indices.size()];
    for (int i = 0; i < indices.size(); i++) {
      int k = (int) indices.integer(i);
      k = k < 0 ? k + x.size() : k;
      if (li != null) {
        li[i] = x.integer(k);
      } else {
        lr[i] = x.real(k);
      }
    }
    return new Tensor(out, x.dataType(), indices.dims(), lr, li);
  }

  private static Tensor arithmetic(Node n, Tensor a, Tensor b, String out, String what) {
    if (a.size() != b.size() && a.size() != 1 && b.size() != 1) {
      throw new InputException(what + ": the verifier folds elementwise arithmetic on equal shapes or scalars only");
    }
    int size = Math.max(a.size(), b.size());
    long[] dims = a.size() >= b.size() ? a.dims() : b.dims();
    boolean integer = a.isInteger() && b.isInteger();
    long[] li = integer ? new long[size] : null;
    double[] lr = integer ? null : new double[size];
    for (int i = 0; i < size; i++) {
      int ia = a.size() == 1 ? 0 : i;
      int ib = b.size() == 1 ? 0 : i;
      if (integer) {
        long x = a.integer(ia);
        long y = b.integer(ib);
        li[i] = switch (n.op()) {
          case "Add" -> x + y;
          case "Sub" -> x - y;
          case "Mul" -> x * y;
          default -> Math.floorDiv(x, y);
        };
      } else {
        double x = a.real(ia);
        double y = b.real(ib);
        lr[i] = switch (n.op()) {
          case "Add" -> x + y;
          case "Sub" -> x - y;
          case "Mul" -> x * y;
          default -> x / y;
        };
      }
    }
    return new Tensor(out, integer ? a.dataType() : OnnxProto.FLOAT, dims, lr, li);
  }
}
