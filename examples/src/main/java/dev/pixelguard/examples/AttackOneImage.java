package dev.pixelguard.examples;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import java.nio.file.Path;

/** Attack one image with one changed pixel; write the adversarial when it flips. Args: model image-index out.png */
public final class AttackOneImage {
  public static void main(String[] args) {
    LabeledImage image = Datasets.samples().get(Integer.parseInt(args[1]));
    try (Classifier model = Models.open(args[0])) {
      AttackResult r = GuidedPixelAttack.builder().build()
          .run(model, image.id(), image.image(), new Goal.Untargeted(image.label()), 1);
      if (r.success()) {
        ImageFiles.writePng(r.adversarial(), Path.of(args[2]));
      }
      System.out.printf("%s: %s -> %s after %d queries%n", image.id(), model.info().className(image.label()),
          model.info().className(r.adversarialClass()), r.queries());
    }
  }
}
