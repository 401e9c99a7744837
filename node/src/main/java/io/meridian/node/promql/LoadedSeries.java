package io.meridian.node.promql;

/**
 * The raw samples of one selected series as the source returned them, sorted by time. Stale markers
 * stay in, because an instant-vector selector must see one to stop looking back past it.
 *
 * <p>A range query looks up the same series at every step, each a little later than the last: the
 * series remembers where its last lookups ended and searches from there (galloping, so a jump in
 * either direction costs the log of its length), instead of a binary search over all its samples
 * twice a step (a quarter of a day-long range query's time). The remembered positions are only
 * hints: any value gives the right answer, so concurrent lookups need no locking.
 */
final class LoadedSeries {

  private final Labels labels;
  private final long[] timestampsMs;
  private final double[] values;
  private int lastHint = -1;
  private int firstHint = -1;

  LoadedSeries(Labels labels, long[] timestampsMs, double[] values) {
    this.labels = labels;
    this.timestampsMs = timestampsMs;
    this.values = values;
  }

  Labels labels() {
    return labels;
  }

  long[] timestampsMs() {
    return timestampsMs;
  }

  double[] values() {
    return values;
  }

  int size() {
    return timestampsMs.length;
  }

  /** Index of the last sample at or before {@code timeMs}, or -1. */
  int lastAtOrBefore(long timeMs) {
    int found = search(timeMs, lastHint);
    lastHint = found;
    return found;
  }

  /** Index of the first sample at or after {@code timeMs} ({@link #size()} when none). */
  int firstAtOrAfter(long timeMs) {
    int found = search(timeMs - 1, firstHint);
    firstHint = found;
    return found + 1;
  }

  /**
   * The last index whose timestamp is at most {@code timeMs} (or -1), searched from {@code hint}.
   */
  private int search(long timeMs, int hint) {
    int n = timestampsMs.length;
    if (hint < 0 || hint >= n) {
      return lastAtOrBefore(timeMs, 0, n - 1);
    }
    int step = 1;
    if (timestampsMs[hint] <= timeMs) {
      int low = hint;
      while (low + step < n && timestampsMs[low + step] <= timeMs) {
        low += step;
        step <<= 1;
      }
      return lastAtOrBefore(timeMs, low, Math.min(low + step, n) - 1);
    }
    int high = hint;
    while (high - step >= 0 && timestampsMs[high - step] > timeMs) {
      high -= step;
      step <<= 1;
    }
    return lastAtOrBefore(timeMs, Math.max(high - step, 0), high - 1);
  }

  /**
   * Binary search in {@code [low, high]}: the last index there with a timestamp at most {@code
   * timeMs}, or {@code low - 1}.
   */
  private int lastAtOrBefore(long timeMs, int low, int high) {
    int found = low - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (timestampsMs[mid] <= timeMs) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }
}
