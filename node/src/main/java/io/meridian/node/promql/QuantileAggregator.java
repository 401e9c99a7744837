package io.meridian.node.promql;

import java.util.Arrays;

/** {@code quantile}: keeps the group's values for Prometheus' {@code quantile()}. */
final class QuantileAggregator implements Aggregator {

  private final double phi;
  private double[] values = new double[8];
  private int size;

  QuantileAggregator(double first, double phi) {
    this.phi = phi;
    add(first);
  }

  @Override
  public void add(double value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  @Override
  public double result() {
    return Quantiles.quantile(phi, Arrays.copyOf(values, size));
  }
}
