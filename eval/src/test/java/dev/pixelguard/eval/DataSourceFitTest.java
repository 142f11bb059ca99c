package dev.pixelguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.data.LazyImages;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.ModelInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fitting a dataset whose images differ in size to a model's input: every image checked, or every one converted. */
class DataSourceFitTest {
  private static final ModelInfo MODEL = new ModelInfo(3, 4, 4, 2, List.of("a", "b"), "tiny");

  /** Images of 4x4 but image 1, which is 4 wide and 6 tall. */
  private static List<LabeledImage> images() {
    return List.of(image("x/0.png", 4), image("x/1.png", 6), image("x/2.png", 4));
  }

  private static LabeledImage image(String id, int height) {
    return new LabeledImage(id, new Image(3, height, 4, new byte[3 * height * 4]), 0);
  }

  @Test
  void anImageOfAnotherSizeIsNamedOrConvertedWithTheOthers() {
    EvaluationPlan.DataSource plain = EvaluationPlan.DataSource.of("x");
    InputException e = assertThrows(InputException.class,
        () -> plain.fit(new Dataset("x", images(), List.of("a", "b")), MODEL));
    assertEquals("image x/1.png is 4x6 RGB but the model takes 4x4 RGB, as the dataset's first image is (use "
        + "--resize to convert every image)", e.getMessage());

    // read when used: refused when the image is read, by the same line
    Dataset lazy = new Dataset("x", new LazyImages(3, images()::get), List.of("a", "b"));
    Dataset checked = plain.fit(lazy, MODEL);
    assertEquals(4, checked.get(0).image().height());
    e = assertThrows(InputException.class, () -> checked.get(1));
    assertTrue(e.getMessage().startsWith("image x/1.png is 4x6 RGB"), e.getMessage());

    for (Dataset d : List.of(new Dataset("x", images(), List.of("a", "b")), lazy)) {
      Dataset resized = plain.resized().fit(d, MODEL);
      for (int i = 0; i < 3; i++) {
        Image im = resized.get(i).image();
        assertEquals(List.of(3, 4, 4), List.of(im.channels(), im.height(), im.width()), "image " + i);
        assertEquals(images().get(i).id(), resized.get(i).id());
      }
    }
  }
}
