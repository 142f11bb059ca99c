package dev.pixelguard.defence;


import dev.pixelguard.calibration.TemperatureScaling;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fits a gate on a calibration split and measures it on another: each model's temperature (by NLL, on the
 * fit images), the squeeze detector's threshold for a stated false-positive rate on clean images, and the
 * confidence threshold that reaches a target clean coverage. Only the fit images are ever used to choose a
 * number; {@link #measure} reports on images the caller keeps apart ({@link dev.pixelguard.data.Split}).
 */
public final class GateFit {
  private GateFit() {}

  /**
   * What to fit.
   *
   * @param models model locations, the reference first
   * @param views transform specs, e.g. {@code median:2}
   * @param fusion the fusion rule
   * @param alarm the disagreement alarm
   * @param calibrate whether to fit a temperature per model (else none)
   * @param coverage the target clean coverage on the fit images, in (0, 1]
   * @param squeezeFpr the squeeze detector's false-positive rate on clean fit images, or NaN for no detector
   * @param fallback {@code abstain} or {@code class:NAME}
   * @param seed the root seed of random transforms
   * @param frameViews views of the scene's other frame; empty for none
   * @param camera how the fit images' second frames are simulated when there are frame views (its seed is used),
   *     or null when there are none
   */
  public record Request(List<String> models, List<String> views, Gate.Fusion fusion, boolean alarm, boolean calibrate,
      double coverage, double squeezeFpr, String fallback, long seed, List<GateSpec.FrameView> frameViews,
      Camera camera) {
    public Request {
      frameViews = List.copyOf(frameViews);
      if (!frameViews.isEmpty() && camera == null) {
        throw new IllegalArgumentException("a gate with views of the other frame is fitted on simulated second "
            + "frames: give a camera");
      }
    }

    /** A gate that decides on the image alone. */
    public Request(List<String> models, List<String> views, Gate.Fusion fusion, boolean alarm, boolean calibrate,
        double coverage, double squeezeFpr, String fallback, long seed) {
      this(models, views, fusion, alarm, calibrate, coverage, squeezeFpr, fallback, seed, List.of(), null);
    }

    /**
     * A builder for a gate of {@code models} (the reference first): no views, fusion all-agree, no alarm,
     * calibrated, 90% coverage, no squeeze detector, abstain as fallback, seed 1.
     */
    public static Builder builder(List<String> models) {
      return new Builder(models);
    }
  }

  /** Builds a {@link Request}; every setting but the models is optional. */
  public static final class Builder {
    private final List<String> models;
    private List<String> views = List.of();
    private Gate.Fusion fusion = Gate.Fusion.ALL_AGREE;
    private boolean alarm;
    private boolean calibrate = true;
    private double coverage = 0.9;
    private double squeezeFpr = Double.NaN;
    private String fallback = "abstain";
    private long seed = 1;
    private List<GateSpec.FrameView> frameViews = List.of();
    private Camera camera;

    private Builder(List<String> models) {
      this.models = List.copyOf(models);
    }

    /** Transforms every model is also looked at through, e.g. {@code impulse:0.3}. */
    public Builder views(List<String> v) {
      views = List.copyOf(v);
      return this;
    }

    /** The fusion rule (default all-agree). */
    public Builder fusion(Gate.Fusion f) {
      fusion = f;
      return this;
    }

    /** Abstain whenever a view disagrees, whatever the fusion (default off). */
    public Builder alarm(boolean v) {
      alarm = v;
      return this;
    }

    /** Whether each model gets a temperature fitted on the fit images (default true). */
    public Builder calibrate(boolean v) {
      calibrate = v;
      return this;
    }

    /** The target clean coverage on the fit images, in (0, 1] (default 0.9). */
    public Builder coverage(double c) {
      coverage = c;
      return this;
    }

    /** Turns on the squeeze detector at this false-positive rate on clean fit images (default off: NaN). */
    public Builder squeezeFpr(double f) {
      squeezeFpr = f;
      return this;
    }

    /** {@code abstain} (default) or {@code class:NAME}. */
    public Builder fallback(String f) {
      fallback = f;
      return this;
    }

    /** The root seed of random transforms (default 1). */
    public Builder seed(long s) {
      seed = s;
      return this;
    }

    /** Views of the scene's other frame, and how the fit images' second frames are simulated. */
    public Builder frameViews(List<GateSpec.FrameView> v, Camera c) {
      frameViews = List.copyOf(v);
      camera = c;
      return this;
    }

    public Request build() {
      return new Request(models, views, fusion, alarm, calibrate, coverage, squeezeFpr, fallback, seed, frameViews,
          camera);
    }
  }

  /**
   * Clean figures of a gate on a set of images.
   *
   * @param images images judged (labelled)
   * @param accepted images accepted
   * @param errors accepted images of the wrong class
   * @param modelErrors images the reference model alone gets wrong
   * @param aurc area under the risk-coverage curve (moving the confidence threshold, other checks fixed)
   * @param curve the risk-coverage curve
   */
  public record Figures(int images, int accepted, int errors, int modelErrors, double aurc,
      List<RiskCoverage.Point> curve) {
    public double coverage() {
      return images == 0 ? 0 : accepted / (double) images;
    }

    public double risk() {
      return accepted == 0 ? 0 : errors / (double) accepted;
    }

    public String describe() {
      return String.format(Locale.ROOT, "coverage %.1f%% (%d of %d), selective risk %.2f%% (%d errors), AURC %.4f",
          100 * coverage(), accepted, images, 100 * risk(), errors, aurc);
    }
  }

  /** A fitted gate file and its figures on the fit images. */
  public record Result(GateSpec spec, Figures onFit) {}

  /** Fits the gate {@code request} describes on {@code fit} (labelled images in the models' input shape). */
  public static Result fit(Request request, Dataset fit) {
    int[] labels = labels(fit);
    List<GateSpec.Member> members = new ArrayList<>();
    for (String loc : request.models()) {
      double t = Double.NaN;
      if (request.calibrate()) {
        try (Classifier c = draftOpen(loc, fit)) {
          List<Scores> s = scores(c, fit);
          float[][] logits = new float[labels.length][];
          for (int i = 0; i < labels.length; i++) {
            logits[i] = logits(s.get(i), c.info().numClasses());
          }
          t = TemperatureScaling.fit(logits, labels).temperature();
        }
      }
      members.add(new GateSpec.Member(loc, t));
    }
    Gate.Settings open = new Gate.Settings(request.fusion(), request.alarm(), 0, Double.POSITIVE_INFINITY,
        Fallback.ABSTAIN);
    GateSpec draft = new GateSpec(members, request.views(), request.frameViews(), open, request.fallback(),
        request.seed(), Map.of());
    try (Gate gate = draft.open(fit.classNames(), shape(fit))) {
      List<Gate.Evidence> ev = assess(gate, fit, request.camera());
      double maxSqueeze = Double.POSITIVE_INFINITY;
      if (!Double.isNaN(request.squeezeFpr())) {
        double[] sq = new double[ev.size()];
        for (int i = 0; i < sq.length; i++) {
          sq[i] = ev.get(i).squeeze();
        }
        maxSqueeze = Roc.thresholdFor(sq, request.squeezeFpr());
      }
      Gate.Settings noConf = open.withMaxSqueeze(maxSqueeze);
      double[] conf = new double[ev.size()];
      boolean[] correct = new boolean[ev.size()];
      boolean[] eligible = new boolean[ev.size()];
      for (int i = 0; i < conf.length; i++) {
        conf[i] = ev.get(i).confidence();
        correct[i] = ev.get(i).predicted() == labels[i];
        eligible[i] = ev.get(i).decide(noConf).accepted();
      }
      RiskCoverage.Point p = RiskCoverage.atCoverage(conf, correct, eligible, request.coverage());
      Gate.Settings fitted = noConf.withMinConfidence(p.threshold());
      Map<String, Object> provenance = new LinkedHashMap<>();
      provenance.put("dataset", fit.name());
      provenance.put("images", fit.size());
      provenance.put("targetCoverage", request.coverage());
      if (!Double.isNaN(request.squeezeFpr())) {
        provenance.put("squeezeFalsePositiveRate", request.squeezeFpr());
      }
      if (!request.frameViews().isEmpty()) {
        provenance.put("secondFrames", request.camera().describe());
      }
      Figures onFit = figures(ev, labels, fitted, gate.views().size());
      provenance.put("coverage", round(onFit.coverage()));
      provenance.put("selectiveRisk", round(onFit.risk()));
      return new Result(new GateSpec(members, request.views(), request.frameViews(), fitted, request.fallback(),
          request.seed(), provenance, gate.info().hasNames() ? gate.info().classNames() : List.of()), onFit);
    }
  }

  private static int[] shape(Dataset d) {
    Image first = d.get(0).image();
    return new int[] {first.channels(), first.height(), first.width()};
  }

  /** One model as the gate will open it, without a temperature of the gate's. */
  private static Classifier draftOpen(String location, Dataset fit) {
    GateSpec one = new GateSpec(List.of(new GateSpec.Member(location, Double.NaN)), List.of(),
        new Gate.Settings(Gate.Fusion.PRODUCT, false, 0, Double.POSITIVE_INFINITY, Fallback.ABSTAIN), "abstain", 1,
        Map.of());
    Gate g = one.open(fit.classNames(), shape(fit));
    return new dev.pixelguard.model.ForwardingClassifier(g.views().get(0).classifier()) {
      @Override
      public void close() {
        g.close();
      }
    };
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  /** The gate's clean figures on {@code data} (labelled images the gate was not fitted on). */
  public static Figures measure(Gate gate, Dataset data) {
    return measure(gate, assess(gate, data), data);
  }

  /**
   * As {@link #measure(Gate, Dataset)}, for a gate that also looks at another frame: each image's second frame
   * simulated by {@code camera} (may be null for a gate that does not).
   */
  public static Figures measure(Gate gate, Dataset data, Camera camera) {
    return measure(gate, assess(gate, data, camera), data);
  }

  /** As {@link #measure(Gate, Dataset)}, from evidence already taken on {@code data} ({@link #assess}). */
  public static Figures measure(Gate gate, List<Gate.Evidence> evidence, Dataset data) {
    return figures(evidence, labels(data), gate.settings(), gate.views().size());
  }

  private static Figures figures(List<Gate.Evidence> ev, int[] labels, Gate.Settings s, int views) {
    int accepted = 0;
    int errors = 0;
    int modelErrors = 0;
    double[] conf = new double[ev.size()];
    boolean[] correct = new boolean[ev.size()];
    boolean[] eligible = new boolean[ev.size()];
    Gate.Settings noConf = s.withMinConfidence(0);
    for (int i = 0; i < ev.size(); i++) {
      Gate.Evidence e = ev.get(i);
      Decision d = e.decide(s);
      if (d.accepted()) {
        accepted++;
        errors += d.predicted() != labels[i] ? 1 : 0;
      }
      modelErrors += e.top(0) != labels[i] ? 1 : 0;
      conf[i] = e.confidence();
      correct[i] = e.predicted() == labels[i];
      eligible[i] = e.decide(noConf).accepted();
    }
    return new Figures(ev.size(), accepted, errors, modelErrors, RiskCoverage.area(conf, correct, eligible),
        RiskCoverage.curve(conf, correct, eligible));
  }

  private static int[] labels(Dataset d) {
    int[] y = new int[d.size()];
    for (int i = 0; i < y.length; i++) {
      if (!d.get(i).hasLabel()) {
        throw new dev.pixelguard.InputException("image " + d.get(i).id() + " has no label; a gate is fitted and "
            + "measured on labelled images");
      }
      y[i] = d.get(i).label();
    }
    return y;
  }

  private static float[] logits(Scores s, int k) {
    float[] z = new float[k];
    for (int c = 0; c < k; c++) {
      z[c] = s.hasLogits() ? s.logit(0, c) : (float) s.logProbability(0, c);
    }
    return z;
  }

  private static List<Scores> scores(Classifier c, Dataset d) {
    List<Scores> out = new ArrayList<>();
    inBatches(d, batch -> {
      Scores s = c.classify(batch);
      for (int i = 0; i < s.size(); i++) {
        out.add(s.slice(i, i + 1));
      }
    });
    return out;
  }

  /** Hands {@code d}'s images to {@code each} in batches of 400, in order. */
  private static void inBatches(Dataset d, java.util.function.Consumer<ImageBatch> each) {
    for (int from = 0; from < d.size(); from += 400) {
      List<Image> ims = new ArrayList<>();
      for (int i = from; i < Math.min(d.size(), from + 400); i++) {
        ims.add(d.get(i).image());
      }
      each.accept(ImageBatch.of(ims));
    }
  }

  /** Every image's evidence, in batches of 400. */
  public static List<Gate.Evidence> assess(Gate gate, Dataset d) {
    List<Gate.Evidence> out = new ArrayList<>();
    inBatches(d, batch -> out.addAll(gate.assess(batch)));
    return out;
  }

  /**
   * Every image's evidence, in batches of 400; a gate that also looks at another frame sees the second frame
   * {@code camera} simulates from each (clean) image.
   *
   * @param camera the second frames' camera; may be null for a gate that looks at no other frame
   */
  public static List<Gate.Evidence> assess(Gate gate, Dataset d, Camera camera) {
    if (!gate.looksAtOtherFrame()) {
      return assess(gate, d);
    }
    if (camera == null) {
      throw new IllegalArgumentException("the gate looks at another frame: give the camera that simulates it");
    }
    List<Gate.Evidence> out = new ArrayList<>();
    inBatches(d, batch -> out.addAll(gate.assess(batch, camera.secondFrames(batch))));
    return out;
  }
}
