package io.meridian.node.query;

/** {@code max}: the largest value; linearly interpolates missing points across series. */
final class MaxAggregator implements Aggregator {

  @Override
  public String name() {
    return "max";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.LERP;
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
