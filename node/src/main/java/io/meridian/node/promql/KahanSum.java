package io.meridian.node.promql;

/**
 * Kahan–Neumaier compensated summation, as Prometheus' {@code kahanSumInc}: keeps the rounding
 * error of a running sum so that long sums of mixed magnitudes stay exact to the last bits.
 */
final class KahanSum {

  private double sum;
  private double compensation;

  void add(double increment) {
    double t = sum + increment;
    if (Math.abs(sum) >= Math.abs(increment)) {
      compensation += (sum - t) + increment;
    } else {
      compensation += (increment - t) + sum;
    }
    sum = t;
  }

  /** The uncompensated running sum. */
  double raw() {
    return sum;
  }

  /** The compensated sum. */
  double value() {
    return sum + compensation;
  }
}
