package io.meridian.node.query;

/**
 * {@code dev}: the sample standard deviation (n - 1 denominator, 0 for a single value), computed
 * with Welford's method for numerical stability, as OpenTSDB does.
 */
final class DevAggregator implements Aggregator {

  @Override
  public String name() {
    return "dev";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.LERP;
  }

  @Override
  public double aggregate(double[] values, int count) {
    double mean = values[0];
    double squares = 0;
    for (int i = 1; i < count; i++) {
      double x = values[i];
      double newMean = mean + (x - mean) / (i + 1);
      squares += (x - mean) * (x - newMean);
      mean = newMean;
    }
    return count == 1 ? 0 : Math.sqrt(squares / (count - 1));
  }
}
