package dev.pixelguard.attack.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pixelguard.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrintabilityTest {
  @TempDir Path dir;

  @Test
  void nonPrintabilityByHand() {
    // Palette {0.1, 0.9}, one grey pixel at 0.5: |0.5-0.1| * |0.5-0.9| = 0.16; a second at 0.1 scores 0.
    Printability p = new Printability(List.of(new float[] {0.1f}, new float[] {0.9f}));
    Sticker s = new Sticker(1, 1, new float[] {0.5f});
    assertEquals(0.16, p.nonPrintability(s, null, 0), 1e-6);
    assertEquals(0.0, p.nonPrintability(new Sticker(1, 1, new float[] {0.1f}), null, 0), 1e-5);
    assertEquals(0.4, p.meanDistanceToPalette(s), 1e-6);
  }

  @Test
  void totalVariationByHand() {
    // 2x2 grey [[0, 1], [0, 1]]: pixel (0,0) dx=1, dy=0 -> 1; (1,0) dx=0 (edge), dy=0 -> 0; (0,1) dx=1 -> 1;
    // (1,1) -> 0; the sqrt(... + 1e-6) adds 0.001 at the flat ones. Mean over 4 pixels: about 0.5005.
    Sticker s = new Sticker(1, 2, new float[] {0, 1, 0, 1});
    assertEquals((2 * Math.sqrt(1 + 1e-6) + 2 * Math.sqrt(1e-6)) / 4, Printability.totalVariation(s, null, 0), 1e-9);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Sticker s = Sticker.random(3, 3, 9);
    Printability pal = Printability.defaultPalette(3);
    float[] gTv = new float[s.values().length];
    float[] gNps = new float[s.values().length];
    Printability.totalVariation(s, gTv, 1);
    pal.nonPrintability(s, gNps, 1);
    double h = 1e-3;
    for (int i = 0; i < gTv.length; i += 4) {
      float[] up = s.values();
      float[] down = s.values();
      up[i] = (float) Math.min(1, up[i] + h);
      down[i] = (float) Math.max(0, down[i] - h);
      double step = up[i] - down[i];
      Sticker a = new Sticker(3, 3, up);
      Sticker b = new Sticker(3, 3, down);
      double fdTv = (Printability.totalVariation(a, null, 0) - Printability.totalVariation(b, null, 0)) / step;
      double fdNps = (pal.nonPrintability(a, null, 0) - pal.nonPrintability(b, null, 0)) / step;
      assertEquals(fdTv, gTv[i], 1e-2 * Math.max(1e-3, Math.abs(fdTv)) + 1e-5, "TV " + i);
      assertEquals(fdNps, gNps[i], 1e-2 * Math.max(1e-6, Math.abs(fdNps)) + 1e-9, "NPS " + i);
    }
  }

  @Test
  void paletteFilesAreReadOrRefusedInOneLine() throws Exception {
    Path f = dir.resolve("p.txt");
    Files.writeString(f, "# printer chart\n#ff0000\n0, 128, 255\n\n");
    Printability p = Printability.read(f, 3);
    assertEquals(2, p.palette().size());
    assertEquals(128 / 255f, p.palette().get(1)[1], 1e-6f);
    Files.writeString(f, "#ff0000\n12 300 4\n");
    InputException e = assertThrows(InputException.class, () -> Printability.read(f, 3));
    assertEquals(true, e.getMessage().contains("line 2"));
  }
}
