package io.meridian.node.promql;

/** {@code group}: 1 for every group that has a sample. */
final class GroupAggregator implements Aggregator {

  @Override
  public void add(double value) {
    // The value of a group does not depend on its samples.
  }

  @Override
  public double result() {
    return 1;
  }
}
