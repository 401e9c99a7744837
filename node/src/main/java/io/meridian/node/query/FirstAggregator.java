package io.meridian.node.query;

/**
 * {@code first}: the first value (earliest in a downsampling bucket, first series of a group);
 * meant for downsampling.
 */
final class FirstAggregator implements Aggregator {

  @Override
  public String name() {
    return "first";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.ZIM;
  }

  @Override
  public double aggregate(double[] values, int count) {
    return values[0];
  }
}
