package io.meridian.node.query;

import java.util.Arrays;

/**
 * Percentile aggregators: {@code p50 p75 p90 p95 p99 p999} and the estimated variants {@code
 * ep<N>r3} and {@code ep<N>r7}, computed like Apache Commons Math's {@code Percentile} which
 * OpenTSDB uses (default "legacy" estimation, R-3 and R-7). All interpolate linearly across series.
 *
 * <p>OpenTSDB applies the estimation only to integer data and silently falls back to the
 * legacy estimation for floating point data; since every value is a double here, the estimation the
 * name asks for is always used.
 */
final class PercentileAggregator implements Aggregator {

  /** The Commons Math estimation types OpenTSDB exposes. */
  enum Estimation {
    /** Commons Math's default: position p(n+1), linear between neighbours. */
    LEGACY(""),
    /** SAS definition: the nearest rank, rounding half to even. */
    R_3("r3"),
    /** Excel / R default: position 1 + p(n-1), linear between neighbours. */
    R_7("r7");

    private final String suffix;

    Estimation(String suffix) {
      this.suffix = suffix;
    }
  }

  private final double quantile;
  private final Estimation estimation;
  private final String name;

  /**
   * @param percentile in (0, 100], e.g. 99.9
   * @param estimation how to pick a value between ranks
   */
  PercentileAggregator(double percentile, Estimation estimation) {
    if (!(percentile > 0 && percentile <= 100)) {
      throw new IllegalArgumentException("Invalid percentile value: " + percentile);
    }
    this.quantile = percentile / 100;
    this.estimation = estimation;
    // 99.9 is spelled 999, the others by their integer value.
    String digits =
        percentile == Math.rint(percentile)
            ? Long.toString((long) percentile)
            : Double.toString(percentile).replace(".", "");
    this.name = (estimation == Estimation.LEGACY ? "p" : "ep") + digits + estimation.suffix;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Interpolation interpolation() {
    return Interpolation.LERP;
  }

  @Override
  public double aggregate(double[] values, int count) {
    if (count == 1) {
      return values[0];
    }
    double[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    return estimate(sorted, position(count));
  }

  /** The 1-based (fractional) rank of the percentile among {@code n} sorted values. */
  private double position(int n) {
    switch (estimation) {
      case LEGACY:
        return quantile == 1 ? n : quantile * (n + 1);
      case R_3:
        return quantile <= 0.5 / n ? 0 : Math.rint(n * quantile);
      case R_7:
        return quantile == 1 ? n : 1 + (n - 1) * quantile;
      default:
        throw new IllegalStateException(estimation.toString());
    }
  }

  /** Linear interpolation between the values at the ranks around {@code position}. */
  private static double estimate(double[] sorted, double position) {
    int n = sorted.length;
    if (position < 1) {
      return sorted[0];
    }
    if (position >= n) {
      return sorted[n - 1];
    }
    int rank = (int) Math.floor(position);
    double fraction = position - rank;
    double lower = sorted[rank - 1];
    double upper = sorted[rank];
    return lower + fraction * (upper - lower);
  }
}
