package dev.pixelguard.attack.patch;

import java.util.List;

/**
 * A learned sticker and how it was learned.
 *
 * @param sticker the sticker, full precision (round it with {@link Sticker#rounded()} for what a PNG holds)
 * @param settings the settings it was learned with
 * @param method {@code "gradient"} (white-box, {@link StickerTrainer}) or {@code "search"} ({@link StickerSearch})
 * @param history one entry per step or per accepted improvement
 * @param modelImages images passed through the model: forward and backward passes for the gradient method,
 *     queries for the search
 */
public record TrainedSticker(Sticker sticker, StickerSettings settings, String method, List<Step> history,
    long modelImages) {
  public TrainedSticker {
    history = List.copyOf(history);
  }

  /**
   * @param step the step or iteration (from 1)
   * @param goalLoss the mean loss the goal minimises over the step's images and draws (the target's
   *     cross-entropy for the gradient method; the search's objective for the search)
   * @param reached the share of the step's stickered images that reached the goal
   * @param totalVariation the sticker's total variation after the step
   * @param nonPrintability its non-printability score after the step
   */
  public record Step(int step, double goalLoss, double reached, double totalVariation, double nonPrintability) {}
}
