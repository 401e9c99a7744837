package io.meridian.node.promql;

/** {@code min} and {@code max}: NaN only when every value is NaN, as a NaN is always replaced. */
final class ExtremumAggregator implements Aggregator {

  private final boolean max;
  private double value;

  ExtremumAggregator(double first, boolean max) {
    this.value = first;
    this.max = max;
  }

  @Override
  public void add(double next) {
    boolean better = max ? value < next : value > next;
    if (better || Double.isNaN(value)) {
      value = next;
    }
  }

  @Override
  public double result() {
    return value;
  }
}
