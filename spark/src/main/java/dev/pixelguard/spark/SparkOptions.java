package dev.pixelguard.spark;

import dev.pixelguard.InputException;
import picocli.CommandLine.Option;

/** Where pixelguard-spark runs: {@code --master}, {@code --partitions}, {@code --work}. None changes an outcome. */
public final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master: local[*] (the default: embedded, every core of this machine), local[N], "
          + "local-cluster[W,C,MB] (W executor JVMs on this machine), spark://HOST:PORT. Under spark-submit the "
          + "master it gives is used.")
  String master;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions of the images (default: one per image, so that Spark hands images out as task "
          + "slots free up: an image that resists costs the whole budget, one that flips a few queries). A lost "
          + "executor costs at most the attempts its partitions had in flight.")
  Integer partitions;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Where each partition journals its attempts, so that a retried task finishes its partition "
          + "instead of starting it again: a folder each executor can write at this path, shared by all of them "
          + "ideally (default: the temporary folder of each executor's machine).")
  String work;

  /** The master URL, given the one spark-submit set (or null); local[*] when neither is given. */
  public String master(String submitted) {
    return master != null ? master : submitted != null ? submitted : "local[*]";
  }

  /**
   * Partitions for {@code images} images: one per image unless --partitions says fewer. Measured on ResNet-20
   * with two task slots, partitions of 5 images left one slot idle for minutes at the end, behind a partition
   * of images that resist, while a partition per image lost nothing to smaller batches.
   */
  public int partitions(int images) {
    if (partitions != null && partitions < 1) {
      throw new InputException("--partitions must be at least 1, was " + partitions);
    }
    return Math.max(1, Math.min(partitions != null ? partitions : images, images));
  }

  /** The --work folder, or null for the default. */
  public String work() {
    return work;
  }
}
