package io.meridian.node.query;

/**
 * {@code multiply}: the product of the values; linearly interpolates missing points across series.
 */
final class MultiplyAggregator implements Aggregator {

  @Override
  public String name() {
    return "multiply";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.LERP;
  }

  @Override
  public double aggregate(double[] values, int count) {
    double product = 1;
    for (int i = 0; i < count; i++) {
      product *= values[i];
    }
    return product;
  }
}
