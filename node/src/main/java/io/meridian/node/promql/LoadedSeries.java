package io.meridian.node.promql;

/**
 * The raw samples of one selected series as the source returned them, sorted by time. Stale markers
 * stay in, because an instant-vector selector must see one to stop looking back past it.
 */
record LoadedSeries(Labels labels, long[] timestampsMs, double[] values) {

  int size() {
    return timestampsMs.length;
  }

  /** Index of the last sample at or before {@code timeMs}, or -1. */
  int lastAtOrBefore(long timeMs) {
    int low = 0;
    int high = timestampsMs.length - 1;
    int found = -1;
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

  /** Index of the first sample at or after {@code timeMs} ({@link #size()} when none). */
  int firstAtOrAfter(long timeMs) {
    return lastAtOrBefore(timeMs - 1) + 1;
  }
}
