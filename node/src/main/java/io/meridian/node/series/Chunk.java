package io.meridian.node.series;

import java.util.Arrays;

/**
 * An uncompressed run of samples of one series, sorted by timestamp with one value per timestamp:
 * what reads assemble from compressed chunks, and what an append is normalized to. The arrays are
 * never modified after construction.
 */
record Chunk(long[] timestamps, double[] values) {

  static final Chunk EMPTY = new Chunk(new long[0], new double[0]);

  /**
   * Builds a chunk from samples in any order; for equal timestamps the later sample in input order
   * wins, as a later write overwrites an earlier one.
   */
  static Chunk sorted(long[] timestamps, double[] values) {
    int n = timestamps.length;
    if (isStrictlyAscending(timestamps)) {
      return new Chunk(timestamps.clone(), values.clone());
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Stable sort keeps input order among equal timestamps, so the last one can win below.
    Arrays.sort(order, (a, b) -> Long.compare(timestamps[a], timestamps[b]));
    long[] ts = new long[n];
    double[] vs = new double[n];
    int size = 0;
    for (int i = 0; i < n; i++) {
      int idx = order[i];
      if (size > 0 && ts[size - 1] == timestamps[idx]) {
        vs[size - 1] = values[idx];
      } else {
        ts[size] = timestamps[idx];
        vs[size] = values[idx];
        size++;
      }
    }
    return new Chunk(Arrays.copyOf(ts, size), Arrays.copyOf(vs, size));
  }

  /** Merges an older and a newer chunk; the newer value wins where both hold a timestamp. */
  static Chunk merge(Chunk older, Chunk newer) {
    // Reads fold many parts into one, most of them empty or merging into nothing yet: no copy.
    if (newer.size() == 0) {
      return older;
    }
    if (older.size() == 0) {
      return newer;
    }
    long[] ts = new long[older.size() + newer.size()];
    double[] vs = new double[ts.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < older.size() || j < newer.size()) {
      if (j >= newer.size() || (i < older.size() && older.timestamps[i] < newer.timestamps[j])) {
        ts[k] = older.timestamps[i];
        vs[k++] = older.values[i++];
      } else {
        if (i < older.size() && older.timestamps[i] == newer.timestamps[j]) {
          i++;
        }
        ts[k] = newer.timestamps[j];
        vs[k++] = newer.values[j++];
      }
    }
    return new Chunk(Arrays.copyOf(ts, k), Arrays.copyOf(vs, k));
  }

  /** The samples with {@code startMs <= timestamp <= endMs}. */
  Chunk slice(long startMs, long endMs) {
    int from = lowerBound(startMs);
    int to = endMs == Long.MAX_VALUE ? size() : lowerBound(endMs + 1);
    if (from == 0 && to == size()) {
      return this;
    }
    return new Chunk(
        Arrays.copyOfRange(timestamps, from, to), Arrays.copyOfRange(values, from, to));
  }

  /** Whether a sample has {@code startMs <= timestamp <= endMs}. */
  boolean hasSamplesIn(long startMs, long endMs) {
    int from = lowerBound(startMs);
    return from < size() && timestamps[from] <= endMs;
  }

  int size() {
    return timestamps.length;
  }

  int lowerBound(long t) {
    int lo = 0;
    int hi = timestamps.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timestamps[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static boolean isStrictlyAscending(long[] ts) {
    for (int i = 1; i < ts.length; i++) {
      if (ts[i] <= ts[i - 1]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk other
        && Arrays.equals(timestamps, other.timestamps)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(timestamps) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Chunk[" + size() + " samples]";
  }
}
