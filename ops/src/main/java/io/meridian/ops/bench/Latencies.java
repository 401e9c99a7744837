package io.meridian.ops.bench;

import java.util.Arrays;
import java.util.Locale;

/** The latency figures a benchmark reports for a set of timed requests: p50, p99 and max. */
public record Latencies(int count, double p50Millis, double p99Millis, double maxMillis) {

  /** Summarizes request durations in nanoseconds (the array is left as it was). */
  public static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      return new Latencies(0, 0, 0, 0);
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Latencies(
        sorted.length,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  /** As docs/benchmarks.md writes it: {@code p50 12.3 ms, p99 45.6 ms, max 78.9 ms}. */
  public String format() {
    return String.format(
        Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", p50Millis, p99Millis, maxMillis);
  }

  /** The nearest-rank percentile: the smallest value with at least {@code q} of all at or below. */
  private static double percentile(long[] sortedNanos, double q) {
    int index = (int) Math.ceil(q * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
  }
}
