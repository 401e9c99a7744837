package io.meridian.node.query;

/**
 * {@code last}: the last value (latest in a downsampling bucket, last series of a group); meant for
 * downsampling.
 */
final class LastAggregator implements Aggregator {

  @Override
  public String name() {
    return "last";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.ZIM;
  }

  @Override
  public double aggregate(double[] values, int count) {
    return values[count - 1];
  }
}
