package io.meridian.node.query;

/**
 * {@code none}: no aggregation; every series of a sub query is returned on its own. The evaluator
 * never merges with it, and the parser rejects it as a downsampler.
 */
final class NoneAggregator implements Aggregator {

  @Override
  public String name() {
    return "none";
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.ZIM;
  }

  @Override
  public double aggregate(double[] values, int count) {
    throw new UnsupportedOperationException("the none aggregator does not aggregate");
  }
}
