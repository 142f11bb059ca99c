package dev.pixelguard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.TransientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry with no backend on the class path (core has none): every refusal says what to do. */
class ModelsTest {
  @TempDir Path dir;

  private static String refusal(ModelRequest r) {
    return assertThrows(InputException.class, () -> Models.open(r)).getMessage();
  }

  @Test
  void coreAloneHasNoBackends() {
    assertEquals(List.of(), Models.backends());
  }

  @Test
  void aMissingFileIsReportedBeforeAnythingElse() {
    String where = dir.resolve("none.onnx").toString();
    assertEquals("model file not found: " + where, refusal(ModelRequest.of(where)));
  }

  @Test
  void withNoBackendOnTheClassPathEveryModelSaysWhatToAdd() throws Exception {
    // Core knows no backend by name (they are discovered): with none installed, any format is refused alike.
    Path onnx = Files.write(dir.resolve("m.ONNX"), new byte[10]);
    assertEquals("cannot tell the format of model " + onnx + " from its name: no installed backend reads files; name "
        + "one with --backend, or add the module that reads it (docs/model-descriptor.md lists the backends)",
        refusal(ModelRequest.of(onnx.toString())));
    assertEquals("no model backend reads builtin: locations such as builtin:fashion-cnn (none is installed); add the "
        + "module that reads them (docs/model-descriptor.md lists the backends)",
        refusal(ModelRequest.of("builtin:fashion-cnn")));
    assertTrue(Models.backends().isEmpty());
    assertTrue(Models.bundled().isEmpty());
  }

  @Test
  void backendOverridesAreCheckedByName() throws Exception {
    Path bin = Files.write(dir.resolve("model.bin"), new byte[10]);
    assertEquals("no model backend named ONNX is on the class path; there are none (add a backend module, such as "
        + "pixelguard-onnx or pixelguard-djl)", refusal(ModelRequest.builder(bin.toString()).backend("ONNX").build()));
  }

  @Test
  void aRequestCarryingTheModelNeedsNoFile() {
    // The bytes stand for the file (a bundled model's export): no "file not found", only "no backend".
    ModelRequest r = ModelRequest.builder("export of net").content(new byte[] {1, 2, 3}).build();
    assertTrue(refusal(r).startsWith("cannot tell the format of model export of net"), refusal(r));
    assertArrayEquals(new byte[] {1, 2, 3}, r.content());
    assertEquals(r, r.toBuilder().build());
  }

  @Test
  void theDescriptorIsTheSidecarWhenThereIsOne() throws Exception {
    Path model = Files.write(dir.resolve("net.onnx"), new byte[10]);
    assertEquals(ModelSpec.DEFAULT, Models.descriptorFor(model));
    Files.writeString(dir.resolve("net.onnx.json"), "{\"range\": \"byte\", \"input\": [1, 28, 28]}");
    ModelSpec s = Models.descriptorFor(model);
    assertEquals(ValueRange.BYTE, s.range());
    assertArrayEquals(new int[] {1, 28, 28}, s.inputShape());
  }

  @Test
  void schemesAreToldFromPathsAndDriveLetters() {
    assertEquals("builtin", ModelBackend.schemeOf("builtin:fashion-cnn"));
    assertEquals("https", ModelBackend.schemeOf("HTTPS://host/m.onnx"));
    assertNull(ModelBackend.schemeOf("C:\\models\\m.onnx"));
    assertNull(ModelBackend.schemeOf("models/m.onnx"));
    assertNull(ModelBackend.schemeOf("/tmp/a:b.onnx"));
    assertTrue(ModelBackend.isFileWithExtension("models/M.Onnx", ".onnx"));
    assertTrue(ModelBackend.isFileWithExtension("m.ts", ".pt", ".ts"));
    assertFalse(ModelBackend.isFileWithExtension("http://host/m.onnx", ".onnx"));
    assertFalse(ModelBackend.isFileWithExtension("m.onnx.json", ".onnx"));
  }

  @Test
  void requestsAreImmutableAndChecked() {
    int[] shape = {3, 32, 32};
    ModelRequest r = ModelRequest.builder("m.pt").dataShape(shape).threads(2).backend(" ").build();
    shape[0] = 1;
    assertArrayEquals(new int[] {3, 32, 32}, r.dataShape());
    assertNull(r.backend(), "a blank backend means: choose by the location");
    assertEquals(ModelSpec.DEFAULT, r.spec());
    assertArrayEquals(new int[] {3, 32, 32}, r.specWithDataShape().inputShape());
    ModelSpec own = ModelSpec.DEFAULT.withInputShape(new int[] {1, 28, 28});
    assertArrayEquals(new int[] {1, 28, 28}, r.toBuilder().spec(own).build().specWithDataShape().inputShape(),
        "the descriptor's shape wins over the hint");
    assertEquals(r, r.toBuilder().build());
    assertEquals("threads must be 0 (the default) or more, was -1",
        assertThrows(InputException.class, () -> ModelRequest.builder("m.onnx").threads(-1).build()).getMessage());
    assertThrows(InputException.class, () -> ModelRequest.builder("m.onnx").dataShape(32, 32).build());
    assertThrows(InputException.class, () -> ModelRequest.of(" "));
    assertThrows(InputException.class, () -> ModelRequest.of("builtin:x").file());
  }

  @Test
  void transientFailuresAreNotInputErrors() {
    RuntimeException e = new TransientException("model server answered 503", new java.io.IOException("503"));
    assertFalse(e instanceof InputException);
    assertEquals("503", e.getCause().getMessage());
  }
}
