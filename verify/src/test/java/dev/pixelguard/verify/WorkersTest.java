package dev.pixelguard.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.verify.net.Net;
import dev.pixelguard.verify.net.OnnxNets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A verdict, its counterexample and its margin map do not depend on how many positions are bounded at once. */
class WorkersTest {
  private static List<ImageVerdict> run(Net net, Dataset data, int workers) {
    List<ImageVerdict> out = new ArrayList<>();
    try (Classifier c = Models.open("builtin:fashion-cnn");
        PixelVerifier v = new PixelVerifier(net, c, VerifySettings.DEFAULT.withThreads(workers))) {
      for (int i : new int[] {0, 2, 9}) {
        LabeledImage im = data.get(i);
        out.add(v.verify(i, im.id(), im.image(), im.label()));
      }
    }
    return out;
  }

  @Test
  void oneWorkerAndThreeGiveTheSameVerdicts() {
    Net net = OnnxNets.read(Models.graph(ModelRequest.of("builtin:fashion-cnn")));
    Dataset data = Datasets.samples();
    List<ImageVerdict> one = run(net, data, 1);
    List<ImageVerdict> three = run(net, data, 3);
    assertEquals(one, three);
    assertEquals(Verdict.VULNERABLE, one.get(0).verdict());
    assertEquals(Verdict.ROBUST, one.get(1).verdict());
  }
}
