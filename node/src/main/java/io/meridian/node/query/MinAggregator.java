package io.meridian.node.query;

/** {@code min}: the smallest value; linearly interpolates missing points across series. */
final class MinAggregator implements Aggregator {

  @Override
  public String name() {
    return "min";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.LERP;
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
