package io.meridian.node.promql;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Sample;
import io.meridian.protocol.promql.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * PromQL's element-wise math functions ({@code simpleFunc} in Prometheus) plus {@code round} and
 * the {@code clamp} family: each maps every sample's value and drops {@code __name__}.
 */
final class MathFunctions {

  private MathFunctions() {}

  /** The per-value function of a one-argument math function, or null if it is not one. */
  static DoubleUnaryOperator operator(Function function) {
    return switch (function) {
      case ABS -> Math::abs;
      case CEIL -> Math::ceil;
      case FLOOR -> Math::floor;
      case EXP -> Math::exp;
      case SQRT -> Math::sqrt;
      case LN -> Math::log;
      case LOG2 -> GoMath::log2;
      case LOG10 -> GoMath::log10;
      case SIN -> Math::sin;
      case COS -> Math::cos;
      case TAN -> Math::tan;
      case ASIN -> Math::asin;
      case ACOS -> Math::acos;
      case ATAN -> Math::atan;
      case SINH -> Math::sinh;
      case COSH -> Math::cosh;
      case TANH -> Math::tanh;
      case ASINH -> GoMath::asinh;
      case ACOSH -> GoMath::acosh;
      case ATANH -> GoMath::atanh;
      case RAD -> v -> v * Math.PI / 180;
      case DEG -> v -> v * 180 / Math.PI;
      case SGN -> v -> v < 0 ? -1 : v > 0 ? 1 : v;
      default -> null;
    };
  }

  static InstantVector map(InstantVector vector, DoubleUnaryOperator f, long timestampMs) {
    List<Sample> out = new ArrayList<>(vector.samples().size());
    for (Sample sample : vector.samples()) {
      out.add(
          new Sample(
              sample.labels().withoutMetricName(), timestampMs, f.applyAsDouble(sample.value())));
    }
    return new InstantVector(out);
  }

  /** Rounds to the nearest multiple of {@code toNearest}; ties round up. */
  static InstantVector round(InstantVector vector, double toNearest, long timestampMs) {
    // Prometheus multiplies by the inverse, which it found to cause fewer accuracy issues.
    double inverse = 1.0 / toNearest;
    return map(vector, v -> Math.floor(v * inverse + 0.5) / inverse, timestampMs);
  }

  /** {@code clamp}: nothing when {@code max < min}; NaN bounds or values give NaN. */
  static InstantVector clamp(InstantVector vector, double min, double max, long timestampMs) {
    if (max < min) {
      return new InstantVector(List.of());
    }
    return map(vector, v -> GoMath.max(min, GoMath.min(max, v)), timestampMs);
  }
}
