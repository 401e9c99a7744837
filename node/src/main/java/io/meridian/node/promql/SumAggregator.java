package io.meridian.node.promql;

/**
 * {@code sum}: plain float addition in input order (Prometheus 2.42 has no Kahan summation here).
 */
final class SumAggregator implements Aggregator {

  private double sum;

  SumAggregator(double first) {
    sum = first;
  }

  @Override
  public void add(double value) {
    sum += value;
  }

  @Override
  public double result() {
    return sum;
  }
}
