package io.meridian.node.promql;

/** {@code stddev} and {@code stdvar}: Welford's running mean and sum of squared deviations. */
final class DeviationAggregator implements Aggregator {

  private final boolean root;
  private double mean;
  private double squares;
  private long count = 1;

  DeviationAggregator(double first, boolean root) {
    this.mean = first;
    this.root = root;
  }

  @Override
  public void add(double value) {
    count++;
    double delta = value - mean;
    mean += delta / count;
    squares += delta * (value - mean);
  }

  @Override
  public double result() {
    double variance = squares / count;
    return root ? Math.sqrt(variance) : variance;
  }
}
