package io.meridian.node.query;

/**
 * {@code mimmax} ("minimum if missing" maximum): the largest value, where a series missing a point
 * is ignored rather than interpolated.
 */
final class MimMaxAggregator implements Aggregator {

  @Override
  public String name() {
    return "mimmax";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.MIN;
  }

  @Override
  public double aggregate(double[] values, int count) {
    double max = values[0];
    for (int i = 1; i < count; i++) {
      max = Math.max(max, values[i]);
    }
    return max;
  }
}
