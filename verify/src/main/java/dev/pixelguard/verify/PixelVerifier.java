package dev.pixelguard.verify;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import dev.pixelguard.verify.net.Box;
import dev.pixelguard.verify.net.Margins;
import dev.pixelguard.verify.net.Net;
import dev.pixelguard.verify.net.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decides, for one image, whether any single pixel set to any colour changes the model's top class.
 *
 * <ol>
 *   <li>The attack: pixelguard's guided search on the model, which tries every corner of the colour cube (8
 *       colours, or black and white) at every position and refines colours where the margin is thinnest. A
 *       flip is a counterexample at once; most vulnerable images end here.
 *   <li>The bound pass: for every position, bounds on the true class's margin over the whole colour cube
 *       ({@link Net#margins}). Positions whose bound exceeds the margin are cleared.
 *   <li>Branch and bound on the rest, worst first: the colour box is split along the channel that moves the
 *       worst margin's bound most (its coefficient times the box's width), and each box's weakest corner,
 *       rounded to 8 bits, is tried as a counterexample (on the net, then rechecked on the model). A position is
 *       cleared when all its boxes are, and it ends the image when a counterexample is confirmed.
 * </ol>
 *
 * <p>An image is robust when every position is cleared; the proof is about the model's function in exact
 * arithmetic with its float weights, over the continuous colour cube (which holds every 8-bit colour), with a
 * margin of {@link VerifySettings#margin()} logits to spare for the engine's float rounding. It is vulnerable
 * only on a counterexample the model itself confirms. Positions are bounded on {@link VerifySettings#threads()}
 * threads; the outcome does not depend on their number (positions are taken in a fixed order and the first
 * counterexample in that order wins), only, through the timeout, on the machine's speed.
 */
public final class PixelVerifier implements AutoCloseable {
  private final Net net;
  private final Classifier model;
  private final VerifySettings settings;
  private final ExecutorService pool;
  private final GuidedPixelAttack attack;

  public PixelVerifier(Net net, Classifier model, VerifySettings settings) {
    this.net = net;
    this.model = model;
    this.settings = settings;
    this.attack = GuidedPixelAttack.builder().build();
    this.pool = Executors.newFixedThreadPool(settings.threads(), r -> {
      Thread t = new Thread(r, "pixelguard-verify");
      t.setDaemon(true);
      return t;
    });
  }

  public Net net() {
    return net;
  }

  public VerifySettings settings() {
    return settings;
  }

  /** The image as the net takes it: values / 255, channel first. */
  public static double[] unit(Image im) {
    double[] v = new double[im.channels() * im.height() * im.width()];
    int i = 0;
    for (int c = 0; c < im.channels(); c++) {
      for (int y = 0; y < im.height(); y++) {
        for (int x = 0; x < im.width(); x++) {
          v[i++] = im.get(c, y, x) / 255.0;
        }
      }
    }
    return v;
  }

  /** Verifies one image of class {@code label}. */
  public ImageVerdict verify(int index, String id, Image image, int label) {
    long start = System.nanoTime();
    long deadline = start + settings.timeout().toNanos();
    int h = image.height();
    int w = image.width();
    int positions = h * w;
    double[] margins = new double[positions];
    Arrays.fill(margins, Double.NaN);
    Scores clean = model.classify(ImageBatch.of(List.of(image)));
    if (clean.top(0) != label) {
      return new ImageVerdict(index, id, label, Verdict.MISCLASSIFIED, null, margins, 0, 0, seconds(start),
          "the model classifies it as " + clean.top(0));
    }
    Trace trace = net.trace(unit(image));
    double[] logits = trace.output();
    if (argmax(logits) != label) {
      return new ImageVerdict(index, id, label, Verdict.UNKNOWN, null, margins, 0, 0, seconds(start),
          "the net read from the graph and the model disagree on the clean image (a near tie)");
    }
    Counterexample found = attack(id, image, label, clean);
    if (found != null) {
      margins[found.y() * w + found.x()] = modelMargin(image, found, label);
      return new ImageVerdict(index, id, label, Verdict.VULNERABLE, found, margins, 0, 0, seconds(start), "");
    }
    // The bound pass over the whole cube, every position.
    Box cube = Box.cube(image.channels());
    List<Future<Margins>> first = new ArrayList<>();
    for (int p = 0; p < positions; p++) {
      int y = p / w;
      int x = p % w;
      first.add(pool.submit(() -> System.nanoTime() > deadline ? null
          : net.margins(trace, y, x, cube, label, settings.errorSymbols())));
    }
    Margins[] whole = new Margins[positions];
    double[] bound = new double[positions];
    for (int p = 0; p < positions; p++) {
      whole[p] = get(first.get(p));
      bound[p] = whole[p] == null ? Double.NaN : whole[p].worst();
    }
    long boxes = 0;
    List<Integer> open = new ArrayList<>();
    int cleared = 0;
    for (int p = 0; p < positions; p++) {
      if (Double.isNaN(bound[p])) {
        return new ImageVerdict(index, id, label, Verdict.UNKNOWN, null, margins, cleared, boxes, seconds(start),
            "time ran out in the first bound pass, " + p + " of " + positions + " positions bounded");
      }
      boxes++;
      if (bound[p] > settings.margin()) {
        margins[p] = bound[p];
        cleared++;
      } else {
        open.add(p);
      }
    }
    open.sort(Comparator.<Integer>comparingDouble(p -> bound[p]).thenComparingInt(p -> p));
    // Branch and bound, in that order, a chunk of positions per round.
    String note = "";
    int chunk = settings.threads();
    for (int from = 0; from < open.size(); from += chunk) {
      if (System.nanoTime() > deadline) {
        note = "time ran out with " + (open.size() - from) + " of " + positions + " positions still open";
        break;
      }
      List<Future<PositionResult>> round = new ArrayList<>();
      for (int q = from; q < Math.min(open.size(), from + chunk); q++) {
        int p = open.get(q);
        round.add(pool.submit(() -> branchAndBound(image, trace, label, p / w, p % w, whole[p], deadline)));
      }
      for (Future<PositionResult> f : round) {
        PositionResult r = get(f);
        boxes += r.boxes;
        if (r.counterexample != null && found == null) {
          found = r.counterexample;
          margins[r.p] = r.margin;
        } else if (r.cleared) {
          margins[r.p] = r.margin;
          cleared++;
        } else if (r.counterexample == null && note.isEmpty()) {
          note = r.note;
        }
      }
      if (found != null) {
        return new ImageVerdict(index, id, label, Verdict.VULNERABLE, found, margins, cleared, boxes, seconds(start), "");
      }
    }
    if (cleared == positions) {
      return new ImageVerdict(index, id, label, Verdict.ROBUST, null, margins, cleared, boxes, seconds(start), "");
    }
    return new ImageVerdict(index, id, label, Verdict.UNKNOWN, null, margins, cleared, boxes, seconds(start),
        note.isEmpty() ? (positions - cleared) + " positions not cleared" : note);
  }

  private record PositionResult(int p, boolean cleared, double margin, Counterexample counterexample, long boxes,
      String note) {}

  private record Node(Box box, Margins margins) {}

  /** One position's branch and bound, from its bound over the whole cube. */
  private PositionResult branchAndBound(Image image, Trace trace, int label, int y, int x, Margins whole,
      long deadline) {
    int p = y * image.width() + x;
    PriorityQueue<Node> queue = new PriorityQueue<>(Comparator.comparingDouble(n -> n.margins.worst()));
    Box cube = Box.cube(image.channels());
    queue.add(new Node(cube, whole));
    Set<List<Integer>> tried = new HashSet<>();
    long boxes = 0;
    double proven = Double.POSITIVE_INFINITY;
    while (!queue.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return new PositionResult(p, false, Double.NaN, null, boxes, "time ran out");
      }
      Node n = queue.poll();
      if (n.margins.worst() > settings.margin()) {
        proven = Math.min(proven, n.margins.worst());
        continue;
      }
      // Try the box's weakest corner, in 8 bits, on the net and, if it flips there, on the model (the whole
      // cube's corners were tried by the attack).
      int[] colour = eightBit(n.margins.weakestCorner(n.box));
      if (!n.box.equals(cube) && tried.add(toList(colour))) {
        Margins at = net.margins(trace, y, x, Box.point(unitColour(colour)), label, 0);
        boxes++;
        if (at.worst() < settings.margin()) {
          Image changed = image.withPixels(List.of(new PixelChange(x, y, image.colour(x, y), colour)));
          Scores s = model.classify(ImageBatch.of(List.of(changed)));
          if (s.top(0) != label) {
            double m = s.logit(0, label) - s.logit(0, s.top(0));
            return new PositionResult(p, false, m, new Counterexample(x, y, colour, s.top(0), "branch and bound"), boxes,
                "");
          }
        }
      }
      if (n.box.widest() < settings.minWidth()) {
        return new PositionResult(p, false, Double.NaN, null, boxes, "a colour box narrower than "
            + settings.minWidth() + " neither cleared nor flipped (a margin within " + settings.margin() + ")");
      }
      int k = splitChannel(n);
      for (Box half : n.box.split(k)) {
        queue.add(new Node(half, net.margins(trace, y, x, half, label, settings.errorSymbols())));
        boxes++;
      }
    }
    return new PositionResult(p, true, proven, null, boxes, "");
  }

  /** The channel whose coefficient in the worst margin's bound, times the box's width there, is largest. */
  private static int splitChannel(Node n) {
    double[] a = n.margins.coef()[n.margins.worstClass()];
    int best = 0;
    double score = -1;
    for (int k = 0; k < n.box.channels(); k++) {
      double s = Math.abs(a[k + 1]) * n.box.width(k) + 1e-9 * n.box.width(k);
      if (s > score) {
        score = s;
        best = k;
      }
    }
    return best;
  }

  /**
   * pixelguard's guided search (every corner at every position, then colours refined where the margin is
   * thinnest), on the model; its success is the model's own final check of the returned image.
   */
  private Counterexample attack(String id, Image image, int label, Scores clean) {
    AttackResult r = attack.run(model, List.of(AttackTask.of(id, image, new Goal.Untargeted(label), clean,
        settings.seed())), new Execution(settings.batchSize(), 1), x -> {})
        .get(0);
    if (!r.success()) {
      return null;
    }
    PixelChange c = r.changes().get(0);
    return new Counterexample(c.x(), c.y(), c.after(), r.adversarialClass(), "guided search");
  }

  /** The model's margin (true class's logit minus the new class's) with the counterexample applied. */
  private double modelMargin(Image image, Counterexample cx, int label) {
    Image changed = image.withPixels(List.of(new PixelChange(cx.x(), cx.y(), image.colour(cx.x(), cx.y()), cx.colour())));
    Scores s = model.classify(ImageBatch.of(List.of(changed)));
    return s.hasLogits() ? s.logit(0, label) - s.logit(0, cx.newClass())
        : s.probability(0, label) - s.probability(0, cx.newClass());
  }

  private static int[] eightBit(double[] v) {
    int[] c = new int[v.length];
    for (int k = 0; k < v.length; k++) {
      c[k] = (int) Math.max(0, Math.min(255, Math.round(v[k] * 255)));
    }
    return c;
  }

  private static double[] unitColour(int[] c) {
    double[] v = new double[c.length];
    for (int k = 0; k < c.length; k++) {
      v[k] = c[k] / 255.0;
    }
    return v;
  }

  private static List<Integer> toList(int[] c) {
    List<Integer> l = new ArrayList<>(c.length);
    for (int v : c) {
      l.add(v);
    }
    return l;
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
