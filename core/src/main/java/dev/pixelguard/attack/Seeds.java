package dev.pixelguard.attack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Per-image seeds that belong to the image: derived from the root seed and the image's stable identity (its
 * id, such as {@code test_batch_subset.bin#17} or a file's path in a folder dataset), never from its
 * position among the images attacked. So an image's outcome is the same whatever {@code --limit}, batch
 * size, concurrency, the images around it, or the machine it runs on.
 *
 * <p>The derivation is the first 8 bytes of SHA-256 over the root seed (8 bytes, big-endian) and the id
 * (UTF-8): fixed by the JDK's specification, so the same on every machine and Java version.
 */
public final class Seeds {
  /** The root seed of a run that names none: the command line's {@code --seed} default. */
  public static final long DEFAULT_ROOT = 1L;

  private Seeds() {}

  /** The seed of the image with identity {@code id} under root seed {@code root}. */
  public static long forImage(long root, String id) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ByteBuffer.allocate(Long.BYTES).putLong(root).array());
      sha.update(id.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The seed of one attempt on an image toward one goal, e.g. each target of a targeted matrix. */
  public static long forImage(long root, String id, Goal goal) {
    return forImage(root, id + " | " + goal.describe());
  }
}
