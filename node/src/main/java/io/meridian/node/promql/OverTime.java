package io.meridian.node.promql;


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
}
