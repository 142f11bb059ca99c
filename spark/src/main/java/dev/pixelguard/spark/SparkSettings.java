package dev.pixelguard.spark;

import dev.pixelguard.InputException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the Spark engine runs, from its settings by name: {@code master}, {@code partitions}, {@code work}. None
 * changes an outcome. Checked before Spark starts, so a mistyped master or partition count is one line, not a
 * Spark stack trace.
 *
 * @param master the Spark master URL given, or null (spark-submit's, else {@code local[*]})
 * @param partitions partitions of the images, or null for one per image
 * @param work where each partition journals its attempts, or null for each executor's temporary folder
 */
public record SparkSettings(String master, Integer partitions, String work) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The setting names the engine reads. */
  public static final List<String> NAMES = List.of("master", "partitions", "work");

  private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,([1-9][0-9]*))?\\])?");
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[[1-9][0-9]*,[1-9][0-9]*,[1-9][0-9]*\\]");
  private static final Pattern REMOTE = Pattern.compile("(spark|yarn|k8s|mesos)(://.+)?");

  public SparkSettings {
    if (partitions != null && partitions < 1) {
      throw new InputException("--partitions must be at least 1, was " + partitions);
    }
    if (master != null && !(LOCAL.matcher(master).matches() || LOCAL_CLUSTER.matcher(master).matches()
        || REMOTE.matcher(master).matches())) {
      throw new InputException("--master must be local, local[N], local[*], local[N,F], local-cluster[W,C,MB] or a "
          + "cluster's URL such as spark://HOST:PORT; was " + master);
    }
  }

  /**
   * Reads the settings by name.
   *
   * @throws InputException for an unknown name or a malformed value
   */
  public static SparkSettings of(Map<String, String> settings) {
    for (String k : settings.keySet()) {
      if (!NAMES.contains(k)) {
        throw new InputException("the Spark engine has no setting " + k + "; it has " + String.join(", ", NAMES));
      }
    }
    String p = settings.get("partitions");
    Integer partitions;
    try {
      partitions = p == null ? null : Integer.valueOf(p.trim());
    } catch (NumberFormatException e) {
      throw new InputException("--partitions must be a whole number, was " + p);
    }
    return new SparkSettings(settings.get("master"), partitions, settings.get("work"));
  }

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
    return Math.max(1, Math.min(partitions != null ? partitions : images, images));
  }
}
