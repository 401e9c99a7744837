package io.meridian.node.query;

/**
 * {@code mimmin} ("maximum if missing" minimum): the smallest value, where a series missing a point
 * is ignored rather than interpolated.
 */
final class MimMinAggregator implements Aggregator {

  @Override
  public String name() {
    return "mimmin";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.MAX;
  }

  @Override
  public double aggregate(double[] values, int count) {
    double min = values[0];
    for (int i = 1; i < count; i++) {
      min = Math.min(min, values[i]);
    }
    return min;
  }
}
