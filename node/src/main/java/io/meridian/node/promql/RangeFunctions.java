package io.meridian.node.promql;

import io.meridian.protocol.promql.Function;
import io.meridian.protocol.promql.ValueType;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The functions that take a range vector, applied to one series of a {@link RangeWindow}: picks the
 * argument that is the range vector and computes each function's value for the series' points.
 */
final class RangeFunctions {

  private RangeFunctions() {}

  /** Whether {@code function} takes a range vector (and so is evaluated here). */
  static boolean handles(Function function) {
    return function.argTypes().contains(ValueType.MATRIX);
  }

  /** The position of the range-vector argument. */
  static int rangeArgument(Function function) {
    return function.argTypes().indexOf(ValueType.MATRIX);
  }

  /**
   * {@code function} over {@code points}, a non-empty series of {@code window}, at {@code timeMs};
   * {@code scalars} holds the values of the scalar arguments by position (NaN at the range
   * argument's). Empty when the function has no value for the series.
   */
  static OptionalDouble apply(
      Function function,
      Value.Series points,
      RangeWindow window,
      List<Double> scalars,
      long timeMs) {
    long[] ts = points.timestampsMs();
    double[] vs = points.values();
    long start = window.startMs();
    long end = window.endMs();
    return switch (function) {
      case RATE -> Rates.extrapolated(ts, vs, start, end, true, true);
      case INCREASE -> Rates.extrapolated(ts, vs, start, end, true, false);
      case DELTA -> Rates.extrapolated(ts, vs, start, end, false, false);
      case IRATE -> Rates.instant(ts, vs, true);
      case IDELTA -> Rates.instant(ts, vs, false);
      case DERIV -> Trends.deriv(ts, vs);
      case PREDICT_LINEAR -> Trends.predictLinear(ts, vs, timeMs, scalars.get(1));
      case HOLT_WINTERS, DOUBLE_EXPONENTIAL_SMOOTHING ->
          Trends.holtWinters(vs, scalars.get(1), scalars.get(2));
      case CHANGES -> OptionalDouble.of(OverTime.changes(vs));
      case RESETS -> OptionalDouble.of(OverTime.resets(vs));
      case AVG_OVER_TIME -> OptionalDouble.of(OverTime.avg(vs));
      case MIN_OVER_TIME -> OptionalDouble.of(OverTime.min(vs));
      case MAX_OVER_TIME -> OptionalDouble.of(OverTime.max(vs));
      case SUM_OVER_TIME -> OptionalDouble.of(OverTime.sum(vs));
      case COUNT_OVER_TIME -> OptionalDouble.of(vs.length);
      case LAST_OVER_TIME -> OptionalDouble.of(vs[vs.length - 1]);
      case PRESENT_OVER_TIME, ABSENT_OVER_TIME -> OptionalDouble.of(1);
      case STDDEV_OVER_TIME -> OptionalDouble.of(OverTime.stddev(vs));
      case STDVAR_OVER_TIME -> OptionalDouble.of(OverTime.stdvar(vs));
      case QUANTILE_OVER_TIME -> OptionalDouble.of(Quantiles.quantile(scalars.get(0), vs));
      default -> throw new IllegalArgumentException(function + " takes no range vector");
    };
  }
}
