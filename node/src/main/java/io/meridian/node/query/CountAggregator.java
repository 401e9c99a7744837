package io.meridian.node.query;

/**
 * {@code count}: the number of values. Like OpenTSDB it interpolates with zero-if-missing, so
 * across misaligned series it counts the series whose first-to-last span covers the timestamp; it
 * is most useful as a downsampler.
 */
final class CountAggregator implements Aggregator {

  @Override
  public String name() {
    return "count";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.ZIM;
  }

  @Override
  public double aggregate(double[] values, int count) {
    return count;
  }
}
