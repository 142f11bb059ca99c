package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File handling shared by the commands. */
final class CliFiles {
  private CliFiles() {}

  /**
   * Checks, before a (possibly long) run starts and before any model is loaded, that every output file can be
   * written: its folder exists and a file can really be created there (a probe file is made and deleted, which
   * catches read-only file systems and folders such as /sys that no permission bit describes). Null outputs
   * (options not given) are skipped.
   */
  static void requireWritable(Path... files) {
    for (Path out : files) {
      if (out == null) {
        continue;
      }
      if (Files.isDirectory(out)) {
        throw new InputException("cannot write " + out + ": it is a folder");
      }
      Path dir = out.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new InputException("cannot write " + out + ": folder " + dir + " does not exist");
      }
      probe(out, dir);
    }
  }

  /** The same check for an output folder (a report): it exists and is writable, or it can be created. */
  static void requireWritableFolder(Path folder) {
    if (folder == null) {
      return;
    }
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new InputException("cannot write report folder " + folder + ": it is a file");
    }
    Path abs = folder.toAbsolutePath();
    Path dir = Files.isDirectory(abs) ? abs : abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputException("cannot write report folder " + folder + ": folder " + dir + " does not exist");
    }
    probe(folder, dir);
  }

  private static void probe(Path out, Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, ".pixelguard-", ".probe"));
    } catch (IOException e) {
      throw new InputException("cannot write " + out + ": " + ImageFiles.reason(e));
    }
  }

  /** The dataset at {@code path}, or the embedded sample images when no path is given. */
  static Dataset datasetOrSamples(Path path) {
    return path == null ? Datasets.samples() : Datasets.open(path);
  }
}
