package io.meridian.node.query;

/**
 * An OpenTSDB aggregation function: merges several values into one, either the values of one series
 * inside a downsampling bucket or the values of several series at one timestamp. Each aggregator
 * also says how a series that has no point at a timestamp is interpolated when series are merged.
 *
 * <p>Implementations are stateless and thread-safe. Look them up with {@link Aggregators#get}.
 */
public interface Aggregator {

  /** The name used in queries, e.g. {@code zimsum}. */
  String name();

  /** How missing points are filled when merging series with this aggregator. */
  Interpolation interpolation();

  /**
   * Aggregates {@code values[0..count)}. Callers drop NaN values first (OpenTSDB skips them) and
   * never call with {@code count == 0}; the result for "no value" is NaN and is decided by the
   * caller. Implementations must not modify {@code values}.
   *
   * @param values the values, in series or time order (which matters to {@code first}/{@code last})
   * @param count how many leading entries of {@code values} to use, at least 1
   */
  double aggregate(double[] values, int count);
}
