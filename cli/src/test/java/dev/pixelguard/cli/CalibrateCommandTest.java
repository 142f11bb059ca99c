package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.calibration.TemperatureScaling;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import dev.pixelguard.model.TemperatureScaled;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pixelguard calibrate on the real fixtures: issue 12's calibration figures, the descriptor it writes, refusals. */
class CalibrateCommandTest {
  @TempDir Path dir;

  private Path modelCopy() throws Exception {
    return Files.copy(Fixtures.resnetOnnx(), dir.resolve("resnet20.onnx"));
  }

  private static JsonNode read(Path f) throws Exception {
    return new ObjectMapper().readTree(f.toFile());
  }

  @Test
  void resnet20IsCalibratedToWithinThePerfectCalibrationFloorAndTheDescriptorCarriesIt() throws Exception {
    Path model = modelCopy();
    Path sidecar = dir.resolve("resnet20.onnx.json");
    Files.writeString(sidecar, "{\"range\": \"unit\", \"output\": \"logits\"}");
    Path json = dir.resolve("calibration.json");
    Cli r = Cli.run("calibrate", "-m", model.toString(), "-d", Fixtures.cifarBatch().toString(), "--fit-on", "466-931",
        "--report-on", "0-465", "--write", "--out", json.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("fit on images 466-931 (466), report on images 0-465 (466)"), r.out());
    assertTrue(r.out().contains("lies inside the perfect-calibration band"), r.out());

    JsonNode j = read(json);
    JsonNode before = j.get("before");
    JsonNode after = j.get("after");
    // The figures: ECE 5.99% before; for ResNet-20's confidences after scaling, the floor on 466
    // images has mean 2.7% and 95th percentile 3.8%.
    assertEquals(0.0599, before.get("ece").asDouble(), 0.00005);
    assertEquals(0.027, after.get("ece_floor").get("mean").asDouble(), 0.001);
    assertEquals(0.038, after.get("ece_floor").get("p95").asDouble(), 0.001);
    assertTrue(after.get("ece").asDouble() <= after.get("ece_floor").get("p95").asDouble(), j.toString());
    assertTrue(after.get("inside_floor_band").asBoolean());
    assertFalse(before.get("inside_floor_band").asBoolean(), "uncalibrated, ResNet-20 is overconfident");
    assertTrue(after.get("nll").asDouble() < before.get("nll").asDouble());
    assertTrue(after.get("brier").asDouble() < before.get("brier").asDouble());
    assertEquals(before.get("accuracy").asDouble(), after.get("accuracy").asDouble(), "no prediction changes");
    assertEquals(15, after.get("reliability").size());
    double t = j.get("fit").get("temperature").asDouble();
    assertTrue(t > 2.2 && t < 2.5, "the issue's grid search found 2.35; fitted " + t);

    // The descriptor keeps its keys and gains the temperature; opening the model now applies it.
    JsonNode d = read(sidecar);
    assertEquals("unit", d.get("range").asText());
    assertEquals("logits", d.get("output").asText());
    assertEquals(t, d.get("temperature").asDouble());
    Dataset data = Fixtures.cifar();
    ImageBatch batch = ImageBatch.of(List.of(data.get(0).image(), data.get(1).image()));
    try (Classifier calibrated = Models.open(model.toString());
        Classifier raw = Models.open(model.toString(), ModelSpec.DEFAULT)) {
      assertEquals(t, TemperatureScaled.temperatureOf(calibrated));
      Scores s = calibrated.classify(batch);
      Scores z = raw.classify(batch);
      for (int i = 0; i < 2; i++) {
        double[] row = new double[10];
        for (int k = 0; k < 10; k++) {
          row[k] = z.logit(i, k);
        }
        double[] p = TemperatureScaling.softmax(row, t);
        for (int k = 0; k < 10; k++) {
          assertEquals(p[k], s.probability(i, k), 1e-6);
        }
      }
    }

    // Calibrating again fits on the model's own scores, not on the already scaled ones: the same temperature.
    Cli again = Cli.run("calibrate", "-m", model.toString(), "-d", Fixtures.cifarBatch().toString(), "--write");
    assertEquals(0, again.code(), again.toString());
    assertTrue(again.out().contains("its descriptor's temperature " + t + " set aside"), again.out());
    assertTrue(again.out().contains("fit on images 466-931 (466), report on images 0-465 (466)"), "the default split");
    assertEquals(t, read(sidecar).get("temperature").asDouble());
    try (var files = Files.list(dir)) {
      assertEquals(List.of("calibration.json", "resnet20.onnx", "resnet20.onnx.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
    }
  }

  @Test
  void theFashionMnistDefaultIsCalibratedToWithinTheFloor() throws Exception {
    Path json = dir.resolve("fashion.json");
    Cli r = Cli.run("calibrate", "-d", Fixtures.fashionMnist("t10k-images-idx3-ubyte.gz").toString(),
        "--fit-on", "0-4999", "--report-on", "5000-9999", "--out", json.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode after = read(json).get("after");
    assertEquals(5000, after.get("images").asInt());
    assertTrue(after.get("inside_floor_band").asBoolean(), r.out());
    assertTrue(after.get("ece").asDouble() < read(json).get("before").get("ece").asDouble());
  }

  @Test
  void aDescriptorIsWrittenWhereThereWasNone() throws Exception {
    Path model = modelCopy();
    Cli r = Cli.run("calibrate", "-m", model.toString(), "-d", Fixtures.cifarBatch().toString(), "--limit", "200",
        "--write");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("fit on images 100-199 (100), report on images 0-99 (100)"), r.out());
    JsonNode d = read(dir.resolve("resnet20.onnx.json"));
    assertEquals(List.of("temperature"), iterable(d.fieldNames()));
    assertTrue(d.get("temperature").asDouble() > 1);
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void refusalsComeBeforeTheWorkInOneLine() throws Exception {
    String cifar = Fixtures.cifarBatch().toString();
    BadInputTest.assertBadInput(Cli.run("calibrate", "-m", "builtin:fashion-cnn", "--write"),
        "--write: builtin:fashion-cnn is a bundled model, with no descriptor file beside it; give --spec FILE");
    BadInputTest.assertBadInput(Cli.run("calibrate", "--write"), "is a bundled model");
    BadInputTest.assertBadInput(Cli.run("calibrate", "--spec", "/proc/pixelguard-calibration.json", "--write"),
        "cannot write /proc/pixelguard-calibration.json");
    Path model = modelCopy();
    BadInputTest.assertBadInput(Cli.run("calibrate", "-m", model.toString(), "-d", cifar, "--fit-on", "0-500",
        "--report-on", "400-931"), "the fit images 0-500 and the report images 400-931 overlap");
    BadInputTest.assertBadInput(Cli.run("calibrate", "-m", model.toString(), "-d", cifar, "--fit-on", "466-1000"),
        "image range 466-1000 lies outside test_batch_subset.bin, which has 932 images");
    BadInputTest.assertBadInput(Cli.run("calibrate", "-m", model.toString(), "-d", cifar, "--fit-on", "abc"),
        "invalid image range 'abc'");
    BadInputTest.assertBadInput(Cli.run("calibrate", "-m", model.toString(), "-d", cifar, "--bins", "0"),
        "--bins, --draws and --resamples must be at least 1");
    BadInputTest.assertBadInput(Cli.run("calibrate", "--label-only"),
        "calibrate needs the model's probabilities; --label-only hides them");
    assertFalse(Files.exists(dir.resolve("resnet20.onnx.json")), "nothing written by a refused run");
  }

  @Test
  void aBadTemperatureInADescriptorIsRefusedInOneLine() throws Exception {
    Path model = modelCopy();
    Path sidecar = dir.resolve("resnet20.onnx.json");
    Files.writeString(sidecar, "{\"temperature\": -2}");
    BadInputTest.assertBadInput(Cli.run("predict", "-m", model.toString(), "-d", Fixtures.cifarBatch().toString(),
        "--index", "0"), "model descriptor " + sidecar + ": temperature must be a positive, finite number, was -2.0");
    BadInputTest.assertBadInput(Cli.run("calibrate", "-m", model.toString(), "-d", Fixtures.cifarBatch().toString(),
        "--write"), "temperature must be a positive, finite number");
    assertEquals("{\"temperature\": -2}", Files.readString(sidecar), "a refused descriptor is left as it was");
    Path spec = Files.writeString(dir.resolve("spec.json"), "{\"temperature\": \"warm\"}");
    BadInputTest.assertBadInput(Cli.run("predict", "-m", "builtin:fashion-cnn", "--spec", spec.toString(),
        "--index", "0"), "temperature must be a number, was \"warm\"");
  }

  @Test
  void theScaledBundledModelsGradientsAreThoseOfItsScaledLoss() {
    // The bundled network through a descriptor temperature: classified on ONNX Runtime, gradients from DJL.
    // The cross-entropy gradient must be the derivative of the scaled model's own loss: checked by central
    // differences along it. The wrapped model's own (T = 1) gradient agrees with central differences of its
    // loss only to 5-7% on these images (DJL's gradient against ONNX Runtime's forward pass; measured 0.93 and
    // 1.07), so the scaled gradient is asked to agree within 8%; the identity itself is checked to 1e-6 on a
    // linear model (TemperatureScaledTest).
    double t = 2.0;
    Dataset samples = dev.pixelguard.data.Datasets.samples();
    ImageBatch batch = ImageBatch.of(List.of(samples.get(0).image(), samples.get(1).image()));
    int[] labels = {samples.get(0).label(), samples.get(1).label()};
    try (Classifier c = Models.open("builtin:fashion-cnn", ModelSpec.DEFAULT.withTemperature(t));
        Classifier base = Models.open("builtin:fashion-cnn")) {
      GradientClassifier scaled = assertInstanceOf(GradientClassifier.class, c);
      GradientClassifier raw = (GradientClassifier) base;
      GradientClassifier.LossGradient ce = scaled.lossGradient(batch, Loss.CROSS_ENTROPY, labels);
      for (int i = 0; i < 2; i++) {
        double agreement = slopeAlong(scaled, batch, i, labels[i], ce.gradient()[i]);
        assertEquals(1, agreement, 0.08, "scaled cross-entropy, image " + i);
        assertEquals(-scaled.classify(batch).logProbability(i, labels[i]), ce.loss()[i], 1e-4);
      }
      GradientClassifier.LossGradient m = scaled.lossGradient(batch, Loss.MARGIN, labels);
      GradientClassifier.LossGradient m1 = raw.lossGradient(batch, Loss.MARGIN, labels);
      for (int i = 0; i < 2; i++) {
        assertEquals(m1.loss()[i] / t, m.loss()[i], 1e-5);
        for (int j = 0; j < m.gradient()[i].length; j++) {
          assertEquals(m1.gradient()[i][j] / t, m.gradient()[i][j], 1e-6);
        }
      }
    }
  }

  /**
   * The central difference of image i's cross-entropy along its gradient g (step 0.01 in L2), divided by
   * |g|: 1 when g is the loss's gradient.
   */
  private static double slopeAlong(Classifier model, ImageBatch batch, int i, int label, float[] g) {
    int len = batch.imageLength();
    float[] x = new float[batch.size() * len];
    batch.copyTo(x, 0);
    double norm = 0;
    for (float v : g) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    double h = 1e-2;
    double[] loss = new double[2];
    for (int s = 0; s < 2; s++) {
      float[] y = java.util.Arrays.copyOfRange(x, i * len, (i + 1) * len);
      for (int j = 0; j < len; j++) {
        y[j] += (float) ((s == 0 ? h : -h) * g[j] / norm);
      }
      loss[s] = -model.classify(ImageBatch.wrap(1, batch.channels(), batch.height(), batch.width(), y))
          .logProbability(0, label);
    }
    return (loss[0] - loss[1]) / (2 * h) / norm;
  }

  @Test
  void aSpecTemperatureReachesTheBundledModels() throws Exception {
    Path spec = Files.writeString(dir.resolve("spec.json"), "{\"temperature\": 1e6}");
    Cli hot = Cli.run("predict", "--spec", spec.toString(), "--index", "0");
    assertEquals(0, hot.code(), hot.toString());
    assertTrue(hot.out().contains("(0.1000)"), "at T = 1e6 every class is about 1/10: " + hot.out());
    Cli named = Cli.run("predict", "-m", "builtin:fashion-cnn-pgd", "--spec", spec.toString(), "--index", "0");
    assertTrue(named.out().contains("(0.1000)"), named.toString());
  }
}
