package io.meridian.node.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prometheus' {@code promql/quantile.go}: {@code quantile()} over sample values (the {@code
 * quantile} aggregator) and {@code bucketQuantile()} over classic histogram buckets ({@code
 * histogram_quantile}).
 */
final class Quantiles {

  /** One classic histogram bucket: its {@code le} bound and cumulative count. */
  record Bucket(double upperBound, double count) {}

  private Quantiles() {}

  /**
   * The φ-quantile of {@code values}, interpolating linearly between the two nearest ranks: NaN for
   * no values or φ = NaN, -Inf for φ < 0, +Inf for φ > 1. Like Go's sort with the by-value heap's
   * {@code Less}, NaN values sort first.
   */
  static double quantile(double phi, double[] values) {
    if (values.length == 0 || Double.isNaN(phi)) {
      return Double.NaN;
    }
    if (phi < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (phi > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = sortNanFirst(values);
    double n = sorted.length;
    double rank = phi * (n - 1);
    double lowerIndex = Math.max(0, Math.floor(rank));
    double upperIndex = Math.min(n - 1, lowerIndex + 1);
    double weight = rank - Math.floor(rank);
    return sorted[(int) lowerIndex] * (1 - weight) + sorted[(int) upperIndex] * weight;
  }

  /**
   * The φ-quantile of a classic histogram: buckets sorted by bound, equal bounds merged, counts
   * made monotonic; NaN without a +Inf bucket, with fewer than two buckets or no observations; the
   * upper bound of the second-highest bucket when the rank falls into the +Inf bucket.
   */
  static double bucketQuantile(double phi, List<Bucket> input) {
    if (Double.isNaN(phi)) {
      return Double.NaN;
    }
    if (phi < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (phi > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> sorted = new ArrayList<>(input);
    sorted.sort(
        (a, b) -> a.upperBound() < b.upperBound() ? -1 : b.upperBound() < a.upperBound() ? 1 : 0);
    if (sorted.get(sorted.size() - 1).upperBound() != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    List<Bucket> buckets = ensureMonotonic(coalesce(sorted));
    if (buckets.size() < 2) {
      return Double.NaN;
    }
    double observations = buckets.get(buckets.size() - 1).count();
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = phi * observations;
    int b = search(buckets, rank);
    if (b == buckets.size() - 1) {
      return buckets.get(buckets.size() - 2).upperBound();
    }
    if (b == 0 && buckets.get(0).upperBound() <= 0) {
      return buckets.get(0).upperBound();
    }
    double bucketStart = 0;
    double bucketEnd = buckets.get(b).upperBound();
    double count = buckets.get(b).count();
    if (b > 0) {
      bucketStart = buckets.get(b - 1).upperBound();
      count -= buckets.get(b - 1).count();
      rank -= buckets.get(b - 1).count();
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /** Go's {@code sort.Search(len(buckets)-1, count >= rank)}: the same binary search steps. */
  private static int search(List<Bucket> buckets, double rank) {
    int i = 0;
    int j = buckets.size() - 1;
    while (i < j) {
      int h = (i + j) >>> 1;
      if (!(buckets.get(h).count() >= rank)) {
        i = h + 1;
      } else {
        j = h;
      }
    }
    return i;
  }

  private static List<Bucket> coalesce(List<Bucket> sorted) {
    List<Bucket> out = new ArrayList<>(sorted.size());
    Bucket last = sorted.get(0);
    for (Bucket b : sorted.subList(1, sorted.size())) {
      if (b.upperBound() == last.upperBound()) {
        last = new Bucket(last.upperBound(), last.count() + b.count());
      } else {
        out.add(last);
        last = b;
      }
    }
    out.add(last);
    return out;
  }

  /** Removes decreases in the cumulative counts, which non-atomic scrapes and rate() can cause. */
  private static List<Bucket> ensureMonotonic(List<Bucket> buckets) {
    List<Bucket> out = new ArrayList<>(buckets.size());
    double max = buckets.get(0).count();
    out.add(buckets.get(0));
    for (Bucket b : buckets.subList(1, buckets.size())) {
      if (b.count() > max) {
        max = b.count();
        out.add(b);
      } else if (b.count() < max) {
        out.add(new Bucket(b.upperBound(), max));
      } else {
        out.add(b);
      }
    }
    return out;
  }

  private static double[] sortNanFirst(double[] values) {
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    Arrays.sort(
        boxed,
        (a, b) -> {
          if (a.isNaN() || b.isNaN()) {
            return Boolean.compare(b.isNaN(), a.isNaN());
          }
          return a < b ? -1 : a > b ? 1 : 0;
        });
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = boxed[i];
    }
    return out;
  }
}
