package dev.pixelguard.certify;

import java.util.Arrays;

/**
 * One image's masked predictions as they become known: entry (a, b) is the model's top class with masks a and b
 * applied, (a, a) with mask a alone; the grid is symmetric. Each entry also keeps the lead of the top class over
 * the runner-up (in logits where the model gives them, else in probability), which the certificate's numerical
 * guard reads.
 */
final class Grid {
  static final short UNKNOWN = -1;

  private final int k;
  private final short[] labels;
  private final float[] leads;
  private final boolean[] requested;
  private int known;

  Grid(int k) {
    this.k = k;
    this.labels = new short[k * k];
    this.leads = new float[k * k];
    this.requested = new boolean[k * k];
    Arrays.fill(labels, UNKNOWN);
  }

  int size() {
    return k;
  }

  boolean isKnown(int a, int b) {
    return labels[a * k + b] != UNKNOWN;
  }

  /** The top class with masks a and b applied; {@link #UNKNOWN} until set. */
  int label(int a, int b) {
    return labels[a * k + b];
  }

  float lead(int a, int b) {
    return leads[a * k + b];
  }

  boolean isRequested(int a, int b) {
    return requested[a * k + b];
  }

  void request(int a, int b) {
    requested[a * k + b] = true;
    requested[b * k + a] = true;
  }

  void set(int a, int b, int label, float lead) {
    if (labels[a * k + b] == UNKNOWN) {
      known++;
    }
    labels[a * k + b] = (short) label;
    labels[b * k + a] = (short) label;
    leads[a * k + b] = lead;
    leads[b * k + a] = lead;
  }

  /** Known entries (a, b) with a &lt;= b. */
  int known() {
    return known;
  }

  /** Whether every entry is known. */
  boolean complete() {
    return known == k * (k + 1) / 2;
  }

  /** A copy of the labels, row-major k x k. */
  short[] labels() {
    return labels.clone();
  }
}
