package dev.pixelguard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.image.Image;

/**
 * What a run has finished, kept as it goes so that a run killed at any moment resumes where it stopped: an
 * evaluation looks up each attempt here before running it and records every attempt it runs. Because every
 * image's seed derives from the root seed and the image, a resumed run's outcomes equal an uninterrupted run's,
 * image for image. {@link dev.pixelguard.io.JournalFile} keeps one in a file beside the results.
 */
public interface Journal {

  /**
   * The attempt of image {@code id} toward {@code goal} that an earlier run finished, rebuilt, or null.
   *
   * @param original the image as the evaluation has it
   * @param clean the model's clean prediction of it
   * @param trueClass the image's label
   */
  AttackResult finished(String id, String goal, Image original, Prediction clean, int trueClass);

  /** Records a finished attempt. */
  void record(AttackResult r);

  /**
   * The outcome of image {@code id} toward {@code goal} that an earlier run recorded with {@link #recordOutcome},
   * or null: for runs whose images end in something other than an attack's attempt (a universal sticker's verdict).
   */
  JsonNode finishedOutcome(String id, String goal);

  /** Records a finished image's outcome that is not an attack's attempt. */
  void recordOutcome(String id, String goal, JsonNode outcome);

  /**
   * A view for one part of a run of several evaluations (each threat model of an audit): what it records and
   * finds is that part's only.
   */
  Journal part(String name);
}
