package dev.pixelguard.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Lazy datasets: images made when asked for, kept lazy through limit, repeat, range, matching and conversion. */
class LazyImagesTest {
  private static Image grey(int v) {
    byte[] b = new byte[3 * 4 * 4];
    java.util.Arrays.fill(b, (byte) v);
    return new Image(3, 4, 4, b);
  }

  @Test
  void repeatCyclesWithIdsOfItsOwnAndMakesImagesOnlyWhenAsked() {
    AtomicInteger made = new AtomicInteger();
    Dataset d = new Dataset("d", new LazyImages(3, i -> {
      made.incrementAndGet();
      return new LabeledImage("d#" + i, grey(10 * i), i);
    }), List.of("a", "b", "c"));
    Dataset r = d.repeat(8).limit(7);
    assertInstanceOf(LazyImages.class, r.images());
    assertEquals(0, made.get(), "nothing made yet");
    assertEquals(7, r.size());
    assertEquals("d#0", r.get(0).id());
    assertEquals("d#0~1", r.get(3).id());
    assertEquals("d#0~2", r.get(6).id());
    assertEquals(0, r.get(6).label());
    assertEquals(grey(10), r.get(4).image());
    Dataset big = Datasets.convert(r, 3, 8, 8);
    assertInstanceOf(LazyImages.class, big.images());
    assertEquals(8, big.get(5).image().width());
    assertEquals("d#2~1", big.get(5).id());
    assertInstanceOf(LazyImages.class, big.range(new Split.Range(2, 4)).images());
    assertThrows(InputException.class, () -> d.repeat(0));
  }

  @Test
  void anImageLoadedOnDemandLoadsAgainOnceCollected() {
    AtomicInteger loads = new AtomicInteger();
    Image lazy = Image.lazy(3, 4, 4, () -> {
      loads.incrementAndGet();
      return grey(7).toBytes();
    });
    assertEquals(0, loads.get());
    assertEquals(7, lazy.get(2, 3, 3));
    assertEquals(grey(7), lazy);
    assertEquals(4, lazy.width());
    Image wrong = Image.lazy(3, 4, 4, () -> new byte[5]);
    assertThrows(IllegalStateException.class, () -> wrong.get(0, 0, 0));
  }
}
