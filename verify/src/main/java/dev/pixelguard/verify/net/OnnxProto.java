package dev.pixelguard.verify.net;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.pixelguard.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model ({@code onnx.proto}) the verifier reads: the graph's nodes with their attributes,
 * its initializers and its inputs' shapes. Read with protobuf-java's {@link CodedInputStream}, field by field
 * after the format's schema, so no generated code is needed (as {@code OnnxExport} writes it). Fields it does
 * not need are skipped; sub-graphs (control flow) and external data are refused in one line.
 */
final class OnnxProto {
  // TensorProto data types.
  static final int FLOAT = 1;
  static final int UINT8 = 2;
  static final int INT8 = 3;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int BOOL = 9;
  static final int DOUBLE = 11;

  private OnnxProto() {}

  /** A constant tensor: numbers as doubles (floats widen exactly), integers as longs; dims without batch rules. */
  record Tensor(String name, int dataType, long[] dims, double[] reals, long[] ints) {
    boolean isInteger() {
      return ints != null;
    }

    int size() {
      return isInteger() ? ints.length : reals.length;
    }

    double real(int i) {
      return isInteger() ? ints[i] : reals[i];
    }

    long integer(int i) {
      return isInteger() ? ints[i] : (long) reals[i];
    }
  }

  /** One attribute; only the field its type uses is meaningful. */
  record Attribute(String name, long i, double f, String s, long[] ints, double[] floats, Tensor t) {}

  record Node(String name, String op, String domain, List<String> inputs, List<String> outputs,
      Map<String, Attribute> attributes) {
    long intAttr(String key, long fallback) {
      Attribute a = attributes.get(key);
      return a == null ? fallback : a.i();
    }

    double floatAttr(String key, double fallback) {
      Attribute a = attributes.get(key);
      return a == null ? fallback : a.f();
    }

    long[] intsAttr(String key) {
      Attribute a = attributes.get(key);
      return a == null ? null : a.ints();
    }

    String stringAttr(String key, String fallback) {
      Attribute a = attributes.get(key);
      return a == null || a.s() == null ? fallback : a.s();
    }

    String what() {
      return op + (name.isEmpty() ? "" : " node " + name);
    }
  }

  /** A graph input: its name and dims (-1 where symbolic, such as the batch). */
  record Input(String name, long[] dims) {}

  record Graph(List<Node> nodes, Map<String, Tensor> initializers, List<Input> inputs, List<String> outputs) {}

  /**
   * Reads a serialized {@code ModelProto}'s graph.
   *
   * @throws InputException if the bytes are not an ONNX model this reader understands
   */
  static Graph read(byte[] model, String what) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(model);
      in.setSizeLimit(Integer.MAX_VALUE);
      in.setRecursionLimit(200);
      Graph graph = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) == 7 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          graph = graph(in.readByteArray(), what);
        } else {
          in.skipField(tag);
        }
      }
      if (graph == null || graph.nodes().isEmpty()) {
        throw new InputException(what + " holds no ONNX graph");
      }
      return graph;
    } catch (IOException | RuntimeException e) {
      if (e instanceof InputException ie) {
        throw ie;
      }
      throw new InputException(what + " is not a readable ONNX model: " + e.getMessage());
    }
  }

  private static Graph graph(byte[] bytes, String what) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setSizeLimit(Integer.MAX_VALUE);
    List<Node> nodes = new ArrayList<>();
    Map<String, Tensor> inits = new LinkedHashMap<>();
    List<Input> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> nodes.add(node(in.readByteArray(), what));
        case 5 -> {
          Tensor t = tensor(in.readByteArray(), what);
          inits.put(t.name(), t);
        }
        case 11 -> inputs.add(valueInfo(in.readByteArray()));
        case 12 -> outputs.add(valueInfo(in.readByteArray()).name());
        default -> in.skipField(tag);
      }
    }
    return new Graph(nodes, inits, inputs, outputs);
  }

  private static Node node(byte[] bytes, String what) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    List<String> ins = new ArrayList<>();
    List<String> outs = new ArrayList<>();
    Map<String, Attribute> attrs = new LinkedHashMap<>();
    String name = "";
    String op = "";
    String domain = "";
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> ins.add(in.readStringRequireUtf8());
        case 2 -> outs.add(in.readStringRequireUtf8());
        case 3 -> name = in.readStringRequireUtf8();
        case 4 -> op = in.readStringRequireUtf8();
        case 5 -> {
          Attribute a = attribute(in.readByteArray(), what);
          attrs.put(a.name(), a);
        }
        case 7 -> domain = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    return new Node(name, op, domain, ins, outs, attrs);
  }

  private static Attribute attribute(byte[] bytes, String what) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String name = "";
    long i = 0;
    double f = 0;
    String s = null;
    List<Long> ints = new ArrayList<>();
    List<Double> floats = new ArrayList<>();
    Tensor t = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      switch (field) {
        case 1 -> name = in.readStringRequireUtf8();
        case 2 -> f = in.readFloat();
        case 3 -> i = in.readInt64();
        case 4 -> s = new String(in.readByteArray(), StandardCharsets.UTF_8);
        case 5 -> t = tensor(in.readByteArray(), what);
        case 6, 11 -> throw new InputException(what + " has control flow (sub-graphs), which the verifier does not read");
        case 7 -> {
          if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
              floats.add((double) in.readFloat());
            }
            in.popLimit(limit);
          } else {
            floats.add((double) in.readFloat());
          }
        }
        case 8 -> {
          if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
              ints.add(in.readInt64());
            }
            in.popLimit(limit);
          } else {
            ints.add(in.readInt64());
          }
        }
        default -> in.skipField(tag);
      }
    }
    return new Attribute(name, i, f, s, ints.stream().mapToLong(Long::longValue).toArray(),
        floats.stream().mapToDouble(Double::doubleValue).toArray(), t);
  }

  private static Tensor tensor(byte[] bytes, String what) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setSizeLimit(Integer.MAX_VALUE);
    List<Long> dims = new ArrayList<>();
    int type = 0;
    String name = "";
    byte[] raw = null;
    List<Double> reals = new ArrayList<>();
    List<Long> ints = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      switch (field) {
        case 1 -> readLongs(in, packed, dims, false);
        case 2 -> type = in.readInt32();
        case 4 -> {
          if (packed) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
              reals.add((double) in.readFloat());
            }
            in.popLimit(limit);
          } else {
            reals.add((double) in.readFloat());
          }
        }
        case 5 -> readLongs(in, packed, ints, true);
        case 7 -> readLongs(in, packed, ints, false);
        case 8 -> name = in.readStringRequireUtf8();
        case 9 -> raw = in.readByteArray();
        case 10 -> {
          if (packed) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
              reals.add(in.readDouble());
            }
            in.popLimit(limit);
          } else {
            reals.add(in.readDouble());
          }
        }
        case 13, 14 -> throw new InputException(what + " keeps its weights in external data files, which the verifier "
            + "does not read; save the model with its weights inside");
        default -> in.skipField(tag);
      }
    }
    long[] d = dims.stream().mapToLong(Long::longValue).toArray();
    long count = 1;
    for (long x : d) {
      count *= x;
    }
    boolean integer = type == INT64 || type == INT32 || type == INT8 || type == UINT8 || type == BOOL;
    if (type != FLOAT && type != DOUBLE && !integer) {
      throw new InputException(what + ": tensor " + name + " has data type " + type
          + ", which the verifier does not read (float, double and integer tensors only)");
    }
    if (raw != null) {
      ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      int n = (int) count;
      if (integer) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = switch (type) {
            case INT64 -> b.getLong();
            case INT32 -> b.getInt();
            case INT8 -> b.get();
            default -> b.get() & 0xff;
          };
        }
        return new Tensor(name, type, d, null, v);
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = type == FLOAT ? b.getFloat() : b.getDouble();
      }
      return new Tensor(name, type, d, v, null);
    }
    if (integer) {
      return new Tensor(name, type, d, null, ints.stream().mapToLong(Long::longValue).toArray());
    }
    return new Tensor(name, type, d, reals.stream().mapToDouble(Double::doubleValue).toArray(), null);
  }

  private static void readLongs(CodedInputStream in, boolean packed, List<Long> out, boolean int32) throws IOException {
    if (packed) {
      int limit = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        out.add(int32 ? in.readInt32() : in.readInt64());
      }
      in.popLimit(limit);
    } else {
      out.add(int32 ? in.readInt32() : in.readInt64());
    }
  }

  private static Input valueInfo(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String name = "";
    List<Long> dims = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readStringRequireUtf8();
        case 2 -> typeProto(in.readByteArray(), dims);
        default -> in.skipField(tag);
      }
    }
    return new Input(name, dims.stream().mapToLong(Long::longValue).toArray());
  }

  // TypeProto { tensor_type = 1 { elem_type = 1; shape = 2 { dim = 1 { dim_value = 1 | dim_param = 2 } } } }
  private static void typeProto(byte[] bytes, List<Long> dims) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (WireFormat.getTagFieldNumber(tag) != 1) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream t = CodedInputStream.newInstance(in.readByteArray());
      int tt;
      while ((tt = t.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tt) != 2) {
          t.skipField(tt);
          continue;
        }
        CodedInputStream s = CodedInputStream.newInstance(t.readByteArray());
        int st;
        while ((st = s.readTag()) != 0) {
          if (WireFormat.getTagFieldNumber(st) != 1) {
            s.skipField(st);
            continue;
          }
          CodedInputStream dim = CodedInputStream.newInstance(s.readByteArray());
          long value = -1;
          int dt;
          while ((dt = dim.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(dt) == 1) {
              value = dim.readInt64();
            } else {
              dim.skipField(dt);
            }
          }
          dims.add(value);
        }
      }
    }
  }
}
