package io.meridian.node.promql;

/**
 * {@code avg}: Prometheus' incremental mean, which avoids overflowing on large values and keeps an
 * infinite mean when further values cannot change it.
 */
final class AvgAggregator implements Aggregator {

  private double mean;
  private long count = 1;

  AvgAggregator(double first) {
    mean = first;
  }

  @Override
  public void add(double value) {
    count++;
    if (Double.isInfinite(mean)) {
      if (Double.isInfinite(value) && (mean > 0) == (value > 0)) {
        // Inf of the same sign: the mean is already right, and Inf - Inf would give NaN.
        return;
      }
      if (!Double.isInfinite(value) && !Double.isNaN(value)) {
        // A finite value cannot move an infinite mean; the update below would compute Inf - Inf.
        return;
      }
    }
    // Each side of the subtraction is divided by the count separately so it cannot overflow.
    mean += value / count - mean / count;
  }

  @Override
  public double result() {
    return mean;
  }
}
