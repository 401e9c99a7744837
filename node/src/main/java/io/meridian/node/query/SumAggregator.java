package io.meridian.node.query;

/** {@code sum}: adds the values; linearly interpolates missing points across series. */
final class SumAggregator implements Aggregator {

  @Override
  public String name() {
    return "sum";
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
    return sum;
  }
}
