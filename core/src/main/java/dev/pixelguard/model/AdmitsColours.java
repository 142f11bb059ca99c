package dev.pixelguard.model;

import dev.pixelguard.image.Image;

/**
 * A capability of a defended classifier (reach it with {@link Classifier#unwrap}): it says, for an image, within
 * which colours a change of each pixel still reaches its models ({@link ColourRanges}). A gate whose views filter
 * changed pixels (an impulse or median filter) has it; attacks that know the defence search inside these ranges
 * (pixelguard's guided search and the exhaustive scan do).
 */
public interface AdmitsColours {

  /** The ranges for {@code image}, which has the classifier's input shape. */
  ColourRanges admitted(Image image);
}
