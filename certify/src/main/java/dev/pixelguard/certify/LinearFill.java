package dev.pixelguard.certify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fill that solves a linear system: each hidden value is a fixed weighted sum of nearby values (its stencil),
 * hidden ones included, so the hidden values are the solution of (I - A) u = B v, v the visible values. The
 * system is solved exactly, once per set of hidden positions, into an operator (each hidden value as weights over
 * visible positions), which is kept for the next image with the same masks; applying it reads the visible values
 * of the {@link Visible} view only. Values are clamped to [0, 1]. Deterministic: the operator depends only on the
 * hidden positions, and is computed in double precision in a fixed order.
 *
 * <p>The hidden positions fall into groups that no stencil links (a lattice's pair of masks makes groups of one or
 * two pixels); each group of up to {@value #DENSE} positions is solved by Gaussian elimination with partial
 * pivoting. A larger group (a big patch mask on a big image) is solved by Gauss-Seidel sweeps at each use, from
 * the group's mean visible border, until no value moves by more than 1e-6 (at most 2,000 sweeps). A group the
 * stencils cannot reach from any visible value (the whole image hidden) is filled with 0.5.
 */
abstract class LinearFill implements Fill {
  /** Largest group solved exactly. */
  static final int DENSE = 256;
  /** Operators kept, at most (each a few kilobytes for CIFAR-10 masks). */
  private static final int CACHE = 8192;

  private final Map<Key, Operator> cache = new ConcurrentHashMap<>();

  /** A position's row of the system: the positions it is predicted from and their weights. */
  record Row(int[] positions, double[] weights) {}

  /**
   * The row of position (x, y) in a {@code width x height} image: positions inside the image (a position may
   * appear twice; weights add up), never (x, y) itself unless the image is too small to avoid it.
   */
  abstract Row row(int x, int y, int width, int height);

  @Override
  public final void fill(Visible visible, float[] out) {
    int n = visible.hiddenCount();
    int[] hidden = new int[n];
    for (int i = 0; i < n; i++) {
      hidden[i] = visible.hiddenPosition(i);
    }
    Key key = new Key(visible.width(), visible.height(), hidden);
    Operator op = cache.get(key);
    if (op == null) {
      op = build(visible.width(), visible.height(), hidden);
      if (cache.size() >= CACHE) {
        cache.clear();
      }
      cache.put(key, op);
    }
    op.apply(visible, out);
  }

  private record Key(int width, int height, int[] hidden) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.width == width && k.height == height && Arrays.equals(k.hidden, hidden);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(hidden) * 31 + width * 7 + height;
    }
  }

  /**
   * Per hidden position, its value as weights over visible positions; or, for positions in groups too large to
   * solve exactly, the stencils to sweep.
   */
  private static final class Operator {
    final int n;
    final int[][] from;
    final double[][] weights;
    /** Groups solved by sweeps: their hidden indices; with {@link #stencils} of every hidden position. */
    final List<int[]> swept;
    final Row[] stencils;
    final int[] index;

    Operator(int n, int[][] from, double[][] weights, List<int[]> swept, Row[] stencils, int[] index) {
      this.n = n;
      this.from = from;
      this.weights = weights;
      this.swept = swept;
      this.stencils = stencils;
      this.index = index;
    }

    void apply(Visible v, float[] out) {
      for (int c = 0; c < v.channels(); c++) {
        for (int i = 0; i < n; i++) {
          if (from[i] == null) {
            continue;
          }
          double s = 0;
          for (int j = 0; j < from[i].length; j++) {
            s += weights[i][j] * v.valueAt(c, from[i][j]);
          }
          out[c * n + i] = (float) Math.max(0, Math.min(1, s));
        }
        for (int[] group : swept) {
          sweep(v, c, group, out);
        }
      }
    }

    private void sweep(Visible v, int c, int[] group, float[] out) {
      double border = 0;
      int count = 0;
      for (int i : group) {
        for (int q : stencils[i].positions()) {
          if (index[q] < 0) {
            border += v.valueAt(c, q);
            count++;
          }
        }
      }
      for (int i : group) {
        out[c * n + i] = count == 0 ? 0.5f : (float) (border / count);
      }
      for (int sweep = 0; sweep < 2000 && count > 0; sweep++) {
        double moved = 0;
        for (int i : group) {
          Row st = stencils[i];
          double s = 0;
          for (int j = 0; j < st.positions().length; j++) {
            int q = st.positions()[j];
            s += st.weights()[j] * (index[q] >= 0 ? out[c * n + index[q]] : v.valueAt(c, q));
          }
          float next = (float) Math.max(0, Math.min(1, s));
          moved = Math.max(moved, Math.abs(next - out[c * n + i]));
          out[c * n + i] = next;
        }
        if (moved <= 1e-6) {
          break;
        }
      }
    }
  }

  private Operator build(int width, int height, int[] hidden) {
    int n = hidden.length;
    int[] index = new int[width * height];
    Arrays.fill(index, -1);
    for (int i = 0; i < n; i++) {
      index[hidden[i]] = i;
    }
    Row[] st = new Row[n];
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      st[i] = row(hidden[i] % width, hidden[i] / width, width, height);
      for (int q : st[i].positions()) {
        if (index[q] >= 0) {
          union(parent, i, index[q]);
        }
      }
    }
    List<List<Integer>> groups = new ArrayList<>();
    int[] groupOf = new int[n];
    Arrays.fill(groupOf, -1);
    for (int i = 0; i < n; i++) {
      int r = find(parent, i);
      if (groupOf[r] < 0) {
        groupOf[r] = groups.size();
        groups.add(new ArrayList<>());
      }
      groups.get(groupOf[r]).add(i);
    }
    int[][] from = new int[n][];
    double[][] weights = new double[n][];
    List<int[]> swept = new ArrayList<>();
    for (List<Integer> g : groups) {
      int[] members = g.stream().mapToInt(Integer::intValue).toArray();
      if (members.length > DENSE || !solve(members, st, index, from, weights)) {
        swept.add(members);
      }
    }
    return new Operator(n, from, weights, swept, st, index);
  }

  /**
   * Solves one group exactly: (I - A) U = B, A the group's weights among its hidden positions, B on the visible
   * positions its stencils reach.
   *
   * @return false when the system is singular (then the group is swept)
   */
  private static boolean solve(int[] members, Row[] st, int[] index, int[][] from, double[][] weights) {
    int s = members.length;
    int[] local = new int[st.length];
    for (int a = 0; a < s; a++) {
      local[members[a]] = a;
    }
    List<Integer> visible = new ArrayList<>();
    int[] col = new int[index.length];
    Arrays.fill(col, -1);
    for (int i : members) {
      for (int q : st[i].positions()) {
        if (index[q] < 0 && col[q] < 0) {
          col[q] = visible.size();
          visible.add(q);
        }
      }
    }
    int m = visible.size();
    if (m == 0) {
      return false;
    }
    double[][] mat = new double[s][s + m];
    for (int a = 0; a < s; a++) {
      mat[a][a] += 1;
      Row sa = st[members[a]];
      for (int j = 0; j < sa.positions().length; j++) {
        int q = sa.positions()[j];
        if (index[q] >= 0) {
          mat[a][local[index[q]]] -= sa.weights()[j];
        } else {
          mat[a][s + col[q]] += sa.weights()[j];
        }
      }
    }
    for (int p = 0; p < s; p++) {
      int best = p;
      for (int r = p + 1; r < s; r++) {
        best = Math.abs(mat[r][p]) > Math.abs(mat[best][p]) ? r : best;
      }
      if (Math.abs(mat[best][p]) < 1e-12) {
        return false;
      }
      double[] t = mat[p];
      mat[p] = mat[best];
      mat[best] = t;
      for (int r = 0; r < s; r++) {
        if (r != p && mat[r][p] != 0) {
          double f = mat[r][p] / mat[p][p];
          for (int c = p; c < s + m; c++) {
            mat[r][c] -= f * mat[p][c];
          }
        }
      }
    }
    int[] vis = visible.stream().mapToInt(Integer::intValue).toArray();
    for (int a = 0; a < s; a++) {
      double[] w = new double[m];
      for (int j = 0; j < m; j++) {
        w[j] = mat[a][s + j] / mat[a][a];
      }
      from[members[a]] = vis;
      weights[members[a]] = w;
    }
    return true;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
