package io.meridian.node.promql;

/**
 * Go's {@code math} functions whose Java counterparts are missing or differ in results: {@code
 * Log2} and {@code Log10} (Go multiplies the natural log, so {@code log10(1000)} is not exactly 3),
 * {@code Asinh}, {@code Acosh} and {@code Atanh} (ports of FreeBSD's, as in Go), {@code Max} and
 * {@code Min} (infinities before NaN).
 */
final class GoMath {

  private static final double LN2 = 6.93147180559945286227e-01;
  private static final double LOG2E = 1.4426950408889634;
  private static final double LOG10E = 0.4342944819032518;
  private static final double NEAR_ZERO = 1.0 / (1 << 28);
  private static final double LARGE = 1 << 28;

  private GoMath() {}

  /** Go's {@code math.Max}: +Inf wins even over NaN. */
  static double max(double x, double y) {
    if (x == Double.POSITIVE_INFINITY || y == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.max(x, y);
  }

  /** Go's {@code math.Min}: -Inf wins even over NaN. */
  static double min(double x, double y) {
    if (x == Double.NEGATIVE_INFINITY || y == Double.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    return Math.min(x, y);
  }

  static double log2(double x) {
    if (x > 0 && !Double.isInfinite(x)) {
      int exponent = Math.getExponent(x);
      if (exponent >= Double.MIN_EXPONENT) {
        // Frexp: x = frac * 2^exp with frac in [0.5, 1); exact powers of two give exact results.
        double frac = x / Math.scalb(1.0, exponent + 1);
        if (frac == 0.5) {
          return exponent;
        }
        return Math.log(frac) * LOG2E + (exponent + 1);
      }
    }
    return Math.log(x) * LOG2E;
  }

  static double log10(double x) {
    return Math.log(x) * LOG10E;
  }

  static double asinh(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    boolean negative = x < 0;
    double a = negative ? -x : x;
    double t;
    if (a > LARGE) {
      t = Math.log(a) + LN2;
    } else if (a > 2) {
      t = Math.log(2 * a + 1 / (Math.sqrt(a * a + 1) + a));
    } else if (a < NEAR_ZERO) {
      t = a;
    } else {
      t = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
    }
    return negative ? -t : t;
  }

  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    if (x >= LARGE) {
      return Math.log(x) + LN2;
    }
    if (x > 2) {
      return Math.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
    }
    double t = x - 1;
    return Math.log1p(t + Math.sqrt(2 * t + t * t));
  }

  static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    boolean negative = x < 0;
    double a = negative ? -x : x;
    double t;
    if (a < NEAR_ZERO) {
      t = a;
    } else if (a < 0.5) {
      t = a + a;
      t = 0.5 * Math.log1p(t + t * a / (1 - a));
    } else {
      t = 0.5 * Math.log1p((a + a) / (1 - a));
    }
    return negative ? -t : t;
  }
}
