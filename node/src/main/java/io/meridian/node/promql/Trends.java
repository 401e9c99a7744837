package io.meridian.node.promql;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code deriv}, {@code predict_linear} and {@code holt_winters} (Prometheus 3's {@code
 * double_exponential_smoothing}) over the points of one series, as Prometheus 2.42 computes them;
 * empty when there are fewer than two points.
 */
final class Trends {

  private Trends() {}

  /** Per-second slope of the least-squares line. */
  static OptionalDouble deriv(long[] ts, double[] vs) {
    if (ts.length < 2) {
      return OptionalDouble.empty();
    }
    // Relative to the first sample, not 0, to keep the sums' floating-point error small.
    return OptionalDouble.of(regression(ts, vs, ts[0])[0]);
  }

  /** The least-squares line's value {@code seconds} after {@code timeMs}. */
  static OptionalDouble predictLinear(long[] ts, double[] vs, long timeMs, double seconds) {
    if (ts.length < 2) {
      return OptionalDouble.empty();
    }
    double[] line = regression(ts, vs, timeMs);
    return OptionalDouble.of(line[0] * seconds + line[1]);
  }

  /**
   * Double exponential smoothing with smoothing factor {@code sf} and trend factor {@code tf}, both
   * strictly between 0 and 1.
   */
  static OptionalDouble holtWinters(double[] vs, double sf, double tf) {
    if (sf <= 0 || sf >= 1) {
      throw new PromQlException(
          PromQlException.Kind.EXECUTION,
          String.format(
              Locale.ROOT, "invalid smoothing factor. Expected: 0 < sf < 1, got: %f", sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw new PromQlException(
          PromQlException.Kind.EXECUTION,
          String.format(Locale.ROOT, "invalid trend factor. Expected: 0 < tf < 1, got: %f", tf));
    }
    int n = vs.length;
    if (n < 2) {
      return OptionalDouble.empty();
    }
    double s0 = 0;
    double s1 = vs[0];
    double b = vs[1] - vs[0];
    for (int i = 1; i < n; i++) {
      double x = sf * vs[i];
      if (i > 1) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return OptionalDouble.of(s1);
  }

  /** {slope per second, intercept at {@code interceptTimeMs}}, Prometheus' linearRegression. */
  private static double[] regression(long[] ts, double[] vs, long interceptTimeMs) {
    double n = 0;
    KahanSum sumX = new KahanSum();
    KahanSum sumY = new KahanSum();
    KahanSum sumXy = new KahanSum();
    KahanSum sumX2 = new KahanSum();
    double initY = vs[0];
    boolean constY = true;
    for (int i = 0; i < ts.length; i++) {
      if (constY && i > 0 && vs[i] != initY) {
        constY = false;
      }
      n += 1.0;
      double x = (ts[i] - interceptTimeMs) / 1e3;
      sumX.add(x);
      sumY.add(vs[i]);
      sumXy.add(x * vs[i]);
      sumX2.add(x * x);
    }
    if (constY) {
      // A constant series has slope 0 exactly, which the sums below might miss by rounding.
      return Double.isInfinite(initY)
          ? new double[] {Double.NaN, Double.NaN}
          : new double[] {0, initY};
    }
    double sx = sumX.value();
    double sy = sumY.value();
    double covXy = sumXy.value() - sx * sy / n;
    double varX = sumX2.value() - sx * sx / n;
    double slope = covXy / varX;
    double intercept = sy / n - slope * sx / n;
    return new double[] {slope, intercept};
  }
}
