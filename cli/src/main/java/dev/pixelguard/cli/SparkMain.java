package dev.pixelguard.cli;

import java.io.PrintWriter;

/**
 * {@code pixelguard-spark}: {@code pixelguard evaluate} as an Apache Spark job. Embedded with {@code local[*]}
 * by default; the main class for {@code spark-submit} on a cluster (docs/scale.md). Needs the pixelguard-spark
 * module (the engine) and Spark on the class path, as the launcher and spark-submit give them.
 */
public final class SparkMain {
  private SparkMain() {}

  public static void main(String[] args) {
    int code = SparkCommand.execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }
}
