package dev.pixelguard.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskSpecTest {

  /** The masks holding position p. */
  private static List<Integer> holders(MaskSet s, int p) {
    List<Integer> out = new ArrayList<>();
    for (int m = 0; m < s.size(); m++) {
      if (s.holds(m, p)) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void aLatticeIsAPartitionWithPixelXyInMaskYmodKXmodK() {
    MaskSet s = MaskSpec.parse("lattice:6").build(32, 32);
    assertEquals(36, s.size());
    assertEquals(666, s.predictions());
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        assertEquals(List.of((y % 6) * 6 + x % 6), holders(s, y * 32 + x));
      }
    }
    assertEquals(36, s.count(0)); // x, y in {0, 6, ..., 30}: 6 x 6
    assertEquals(25, s.count(35)); // x, y in {5, 11, ..., 29}: 5 x 5
    s.requireCovers(Threat.pixel());
  }

  @Test
  void aSkewIsAPartitionWithPixelXyInMaskXplusAyModK() {
    MaskSet s = MaskSpec.parse("skew:36/11").build(32, 32);
    assertEquals(36, s.size());
    for (int p = 0; p < 1024; p++) {
      assertEquals(List.of((p % 32 + 11 * (p / 32)) % 36), holders(s, p));
    }
  }

  @Test
  void thePapersBlocksAreSixtyFourForTwoByTwoPatchesOnCifar() {
    MaskSet s = MaskSpec.parse("blocks:5/4").build(32, 32);
    assertEquals(64, s.size());
    assertEquals(2080, s.predictions());
    assertEquals(25, s.count(0));
    assertEquals(0, s.positions(0)[0]);
    assertEquals(4 * 32 + 4, s.positions(0)[24]);
    assertTrue(s.holds(7, 27) && s.holds(7, 31) && !s.holds(7, 26)); // the last block is flush with the edge
    assertTrue(s.holds(63, 31 * 32 + 31) && s.holds(63, 27 * 32 + 27));
    s.requireCovers(Threat.patch(2));
    s.requireCovers(Threat.pixel());
    InputException e = assertThrows(InputException.class, () -> s.requireCovers(Threat.patch(3)));
    assertEquals("the masks blocks:5/4 do not cover the threat patch:3: no mask holds all of the 3x3 patch at (3, 0),"
        + " so an attacker there could change every masked view; use masks that hold every such region (for a"
        + " patch of side P: blocks:M/S with M >= P + S - 1)", e.getMessage());
  }

  @Test
  void spreadBlocksCoverAPatchWithFewMasks() {
    MaskSet s = MaskSpec.parse("spread:3/2/6").build(32, 32);
    assertEquals(36, s.size());
    s.requireCovers(Threat.patch(2));
    assertThrows(InputException.class, () -> s.requireCovers(Threat.patch(3)));
  }

  @Test
  void aLatticeDoesNotCoverAPatchAndIsRefusedNamingTheRegion() {
    MaskSet s = MaskSpec.parse("lattice:6").build(32, 32);
    InputException e = assertThrows(InputException.class, () -> s.requireCovers(Threat.patch(2)));
    assertTrue(e.getMessage().contains("no mask holds all of the 2x2 patch at (0, 0)"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aMaskSetThatMissesOnePixelIsRefusedNamingThePixel() {
    List<int[]> masks = new ArrayList<>();
    MaskSet lattice = MaskSpec.parse("lattice:4").build(32, 32);
    for (int m = 0; m < lattice.size(); m++) {
      int[] p = lattice.positions(m);
      if (m == 5) { // mask 5 is pixels (1 + 4i, 1 + 4j); drop (9, 13)
        p = java.util.Arrays.stream(p).filter(q -> q != 13 * 32 + 9).toArray();
      }
      masks.add(p);
    }
    MaskSet holed = MaskSet.of("custom", 32, 32, masks);
    InputException e = assertThrows(InputException.class, () -> holed.requireCovers(Threat.pixel()));
    assertTrue(e.getMessage().startsWith("the masks custom do not cover the threat pixel: no mask holds all of the"
        + " pixel (9, 13)"), e.getMessage());
    // and the certifier refuses it before any work
    BrightPixelModel toy = new BrightPixelModel(1, 32, 32);
    assertThrows(InputException.class, () -> Certifier.of(toy).masks(holed).defended());
  }

  @Test
  void theDefaultMasksFollowTheThreatUnlessMasksAreGiven() {
    BrightPixelModel toy = new BrightPixelModel(3, 32, 32);
    assertEquals("lattice:6", Certifier.of(toy).maskSet().spec());
    assertEquals("blocks:5/4", Certifier.of(toy).threat(Threat.patch(2)).maskSet().spec());
    assertEquals("blocks:6/4", Certifier.of(toy).threat(Threat.patch(3)).maskSet().spec());
    InputException e = assertThrows(InputException.class,
        () -> Certifier.of(toy).masks("lattice:6").threat(Threat.patch(2)).maskSet());
    assertTrue(e.getMessage().startsWith("the masks lattice:6 do not cover the threat patch:2"), e.getMessage());
  }

  @Test
  void badSpecsAreRefusedInOneLine() {
    for (String bad : new String[] {"lattice", "lattice:x", "lattice:1", "lattice:6/2", "blocks:5", "blocks:0/4",
        "skew:36/36", "spread:3/2", "circle:3", ""}) {
      InputException e = assertThrows(InputException.class, () -> MaskSpec.parse(bad), bad);
      assertFalse(e.getMessage().contains("\n"), bad);
    }
    assertEquals("invalid masks lattice:1: K must be at least 2, was 1",
        assertThrows(InputException.class, () -> MaskSpec.parse("lattice:1")).getMessage());
    assertThrows(InputException.class, () -> MaskSpec.parse("lattice:40").build(32, 32));
    assertThrows(InputException.class, () -> MaskSpec.parse("spread:3/2/20").build(32, 32));
    assertThrows(InputException.class, () -> MaskSpec.parse("skew:2000/3").build(32, 32)); // empty masks
  }

  @Test
  void specsReadBack() {
    for (String s : new String[] {"lattice:6", "skew:36/11", "blocks:5/4", "spread:3/2/6"}) {
      assertEquals(s, MaskSpec.parse(s).spec());
      assertEquals(s, MaskSpec.parse(s).build(32, 32).spec());
    }
    assertEquals(new MaskSpec.Lattice(6), MaskSpec.parse(" Lattice:6 "));
  }

  @Test
  void threatsParse() {
    assertEquals(Threat.pixel(), Threat.parse("pixel"));
    assertEquals(Threat.patch(2), Threat.parse("patch:2"));
    assertEquals(31 * 31, Threat.patch(2).regions(32, 32));
    assertThrows(InputException.class, () -> Threat.parse("patch:0"));
    assertThrows(InputException.class, () -> Threat.parse("pixels"));
  }
}
