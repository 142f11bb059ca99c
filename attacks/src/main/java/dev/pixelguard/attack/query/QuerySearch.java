package dev.pixelguard.attack.query;

import dev.pixelguard.model.Scores;

/**
 * One image's black-box search, driven from outside: it asks for candidates to be scored and is told their
 * scores. This shape lets a {@link BatchScheduler} pack the candidates of many images into full model
 * batches, and later ship them to other machines.
 */
public interface QuerySearch {

  /**
   * The next candidates to score. Call {@link #tell} with their scores before asking again.
   *
   * @throws IllegalStateException when {@link #isDone()}
   */
  Candidates ask();

  /** The scores of the last {@link #ask}'s candidates, one row each, in order. */
  void tell(Scores scores);

  /** Whether the search has finished (succeeded, or ran out of budget or iterations). */
  boolean isDone();

  /**
   * Whether the pending request is the search's last and small (such as the final check of its proposal): the
   * scheduler then starts the next search at once instead of waiting, so batches stay full.
   */
  default boolean finishing() {
    return false;
  }

  /** A set of candidate images that are written straight into a batch, so no image is built twice. */
  interface Candidates {
    /** Number of candidate images. */
    int size();

    /**
     * Writes candidate {@code j} as one image, planar (C, H, W), values in [0, 1], into {@code dst} from
     * {@code offset}.
     */
    void write(int j, float[] dst, int offset);

    /** One candidate, which {@code writer} writes (planar, values in [0, 1]) into a batch from an offset. */
    static Candidates one(Writer writer) {
      return of(1, (j, dst, offset) -> writer.write(dst, offset));
    }

    /** {@code size} candidates, which {@code writer} writes by index. */
    static Candidates of(int size, Indexed writer) {
      return new Candidates() {
        @Override
        public int size() {
          return size;
        }

        @Override
        public void write(int j, float[] dst, int offset) {
          writer.write(j, dst, offset);
        }
      };
    }

    /** Writes candidate {@code j}, as {@link Candidates#write}. */
    interface Indexed {
      void write(int j, float[] dst, int offset);
    }
  }

  /** Writes one candidate image into {@code dst} from {@code offset}. */
  interface Writer {
    void write(float[] dst, int offset);
  }
}
