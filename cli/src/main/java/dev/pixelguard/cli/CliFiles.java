package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.djl.DefaultBundle;
import java.nio.file.Files;
import java.nio.file.Path;

/** File handling shared by the commands. */
final class CliFiles {
  private CliFiles() {}

  /**
   * Checks, before a (possibly long) run starts, that every output's folder exists, so a run never ends
   * with nowhere to write. Null outputs (options not given) are skipped; a report folder itself is created
   * later, so only its parent must exist.
   */
  static void requireFolders(Path... outputs) {
    for (Path out : outputs) {
      if (out == null) {
        continue;
      }
      Path dir = out.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new InputException("cannot write " + out + ": folder " + dir + " does not exist");
      }
    }
  }

  /** The dataset at {@code path}, or the embedded sample images when no path is given. */
  static Dataset datasetOrSamples(Path path) {
    return path == null ? DefaultBundle.samples() : Datasets.open(path);
  }
}
