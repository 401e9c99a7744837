package io.meridian.node.query;

/** {@code avg}: the arithmetic mean; linearly interpolates missing points across series. */
final class AvgAggregator implements Aggregator {

  @Override
  public String name() {
    return "avg";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.LERP;
  }

  @Override
  public double aggregate(double[] values, int count) {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += values[i];
    }
    return sum / count;
  }
}
