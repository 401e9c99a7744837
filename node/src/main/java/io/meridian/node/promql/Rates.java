package io.meridian.node.promql;

import java.util.OptionalDouble;

/**
 * {@code rate}, {@code increase}, {@code delta}, {@code irate} and {@code idelta} over the points
 * of one series in a range window, as Prometheus 2.42's {@code extrapolatedRate} and {@code
 * instantValue}; empty when there is no result (fewer than two points).
 */
final class Rates {

  private Rates() {}

  /**
   * The change over the window, corrected for counter resets when {@code counter}, extrapolated
   * towards the window's bounds, per second when {@code perSecond}.
   */
  static OptionalDouble extrapolated(
      long[] ts,
      double[] vs,
      long rangeStartMs,
      long rangeEndMs,
      boolean counter,
      boolean perSecond) {
    int n = ts.length;
    if (n < 2) {
      return OptionalDouble.empty();
    }
    double result = vs[n - 1] - vs[0];
    if (counter) {
      double last = 0;
      for (double v : vs) {
        if (v < last) {
          result += last;
        }
        last = v;
      }
    }
    double durationToStart = (ts[0] - rangeStartMs) / 1000.0;
    double durationToEnd = (rangeEndMs - ts[n - 1]) / 1000.0;
    double sampledInterval = (ts[n - 1] - ts[0]) / 1000.0;
    double averageInterval = sampledInterval / (n - 1);

    if (counter && result > 0 && vs[0] >= 0) {
      // A counter cannot go below zero: do not extrapolate the start past its zero point.
      double durationToZero = sampledInterval * (vs[0] / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    // Extrapolate to a bound only when the first/last sample is about one interval from it;
    // farther, assume the series started or ended inside the window (half an interval).
    double threshold = averageInterval * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
    result = result * (extrapolateTo / sampledInterval);
    if (perSecond) {
      result = result / ((rangeEndMs - rangeStartMs) / 1000.0);
    }
    return OptionalDouble.of(result);
  }

  /** From the last two points: their difference, or per second with counter-reset handling. */
  static OptionalDouble instant(long[] ts, double[] vs, boolean perSecond) {
    int n = ts.length;
    if (n < 2) {
      return OptionalDouble.empty();
    }
    double last = vs[n - 1];
    double previous = vs[n - 2];
    double result = perSecond && last < previous ? last : last - previous;
    long interval = ts[n - 1] - ts[n - 2];
    if (interval == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(perSecond ? result / (interval / 1000.0) : result);
  }
}
