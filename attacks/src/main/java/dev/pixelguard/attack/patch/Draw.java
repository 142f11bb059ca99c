package dev.pixelguard.attack.patch;

/**
 * One draw from a {@link Conditions} distribution: every sampled parameter of one viewing of one stickered
 * image, so that a result can say exactly what the model saw.
 *
 * @param placement where the sticker lies
 * @param camera what happens to the whole image afterwards
 */
public record Draw(Placement placement, Photometric camera) {}
