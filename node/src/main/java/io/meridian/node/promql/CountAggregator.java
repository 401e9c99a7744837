package io.meridian.node.promql;

/** {@code count} (and the per-value counts of {@code count_values}). */
final class CountAggregator implements Aggregator {

  private long count = 1;

  @Override
  public void add(double value) {
    count++;
  }

  @Override
  public double result() {
    return count;
  }
}
