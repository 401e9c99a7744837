package io.meridian.node.promql;

import java.util.Arrays;

/**
 * The {@code *_over_time} aggregations and {@code changes}/{@code resets} over the values of one
 * series in a range window (never empty), computed as Prometheus 2.42 does, including its
 * compensated sums and its handling of infinities and NaN.
 */
final class OverTime {

  private OverTime() {}

  static double avg(double[] vs) {
    double mean = 0;
    double count = 0;
    double c = 0;
    for (double v : vs) {
      count++;
      if (Double.isInfinite(mean)) {
        // Inf − Inf would turn the mean into NaN: an infinite mean stays as it is unless a NaN
        // or the opposite infinity comes.
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      double increment = v / count - mean / count;
      double t = mean + increment;
      if (Math.abs(mean) >= Math.abs(increment)) {
        c += (mean - t) + increment;
      } else {
        c += (increment - t) + mean;
      }
      mean = t;
    }
    return Double.isInfinite(mean) ? mean : mean + c;
  }

  static double sum(double[] vs) {
    KahanSum sum = new KahanSum();
    for (double v : vs) {
      sum.add(v);
    }
    return Double.isInfinite(sum.raw()) ? sum.raw() : sum.value();
  }

  static double max(double[] vs) {
    double max = vs[0];
    for (double v : vs) {
      if (v > max || Double.isNaN(max)) {
        max = v;
      }
    }
    return max;
  }

  static double min(double[] vs) {
    double min = vs[0];
    for (double v : vs) {
      if (v < min || Double.isNaN(min)) {
        min = v;
      }
    }
    return min;
  }

  /** Population variance, Welford's method with compensated sums. */
  static double stdvar(double[] vs) {
    double count = 0;
    KahanSum mean = new KahanSum();
    KahanSum aux = new KahanSum();
    for (double v : vs) {
      count++;
      double delta = v - mean.value();
      mean.add(delta / count);
      aux.add(delta * (v - mean.value()));
    }
    return aux.value() / count;
  }

  static double stddev(double[] vs) {
    return Math.sqrt(stdvar(vs));
  }

  /**
   * The φ-quantile with linear interpolation between the closest ranks, −Inf for φ &lt; 0, +Inf for
   * φ &gt; 1 (Prometheus' {@code quantile}).
   */
  static double quantile(double q, double[] values) {
    if (values.length == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = sortedNaNFirst(values);
    double n = sorted.length;
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return sorted[(int) lower] * (1 - weight) + sorted[(int) upper] * weight;
  }

  static double changes(double[] vs) {
    int changes = 0;
    double previous = vs[0];
    for (int i = 1; i < vs.length; i++) {
      double current = vs[i];
      if (current != previous && !(Double.isNaN(current) && Double.isNaN(previous))) {
        changes++;
      }
      previous = current;
    }
    return changes;
  }

  static double resets(double[] vs) {
    int resets = 0;
    for (int i = 1; i < vs.length; i++) {
      if (vs[i] < vs[i - 1]) {
        resets++;
      }
    }
    return resets;
  }

  /** Ascending, NaN first, as Prometheus' {@code vectorByValueHeap} sorts. */
  private static double[] sortedNaNFirst(double[] values) {
    double[] numbers = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    double[] sorted = new double[values.length];
    int nans = values.length - numbers.length;
    Arrays.fill(sorted, 0, nans, Double.NaN);
    System.arraycopy(numbers, 0, sorted, nans, numbers.length);
    return sorted;
  }
}
