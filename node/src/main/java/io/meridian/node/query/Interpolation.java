package io.meridian.node.query;

/**
 * How a series contributes to an aggregate at a timestamp where it has no data point of its own but
 * has points before and after it (OpenTSDB's {@code Aggregators.Interpolation}). Before its first
 * point and after its last point a series never contributes.
 */
public enum Interpolation {
  /** Linear interpolation between the surrounding points. */
  LERP,
  /** Zero if missing. */
  ZIM,
  /** The largest double if missing, so that it never wins a minimum ({@code mimmin}). */
  MAX,
  /**
   * The most negative double if missing, so that it never wins a maximum ({@code mimmax}). OpenTSDB
   * uses {@code Double.MIN_VALUE} here, the smallest <em>positive</em> double, which makes {@code
   * mimmax} of negative values come out as about 4.9e-324; we use {@code -Double.MAX_VALUE},
   * matching what OpenTSDB does for integer data ({@code Long.MIN_VALUE}).
   */
  MIN;

  /** The value substituted for a missing point; not meaningful for {@link #LERP}. */
  double missingValue() {
    switch (this) {
      case ZIM:
        return 0;
      case MAX:
        return Double.MAX_VALUE;
      case MIN:
        return -Double.MAX_VALUE;
      default:
        throw new IllegalStateException("no substitute value for " + this);
    }
  }
}
