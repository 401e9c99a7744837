package io.meridian.node.query;

/**
 * {@code zimsum}: adds the values; a series missing a point counts as zero instead of being
 * interpolated.
 */
final class ZimSumAggregator implements Aggregator {

  @Override
  public String name() {
    return "zimsum";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.ZIM;
  }

  @Override
  public double aggregate(double[] values, int count) {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += values[i];
    }
    return sum;
  }
}
