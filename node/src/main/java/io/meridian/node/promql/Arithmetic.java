package io.meridian.node.promql;

import io.meridian.protocol.promql.BinaryOp;

/**
 * The number semantics of PromQL's binary operators, as Go computes them: {@code %} is {@code
 * math.Mod} (the sign of the dividend), {@code ^} is {@code math.Pow}, division by zero gives ±Inf
 * or NaN.
 */
final class Arithmetic {

  private Arithmetic() {}

  /** {@code vectorElemBinop}'s value for arithmetic operators. */
  static double apply(BinaryOp op, double lhs, double rhs) {
    return switch (op) {
      case ADD -> lhs + rhs;
      case SUB -> lhs - rhs;
      case MUL -> lhs * rhs;
      case DIV -> lhs / rhs;
      case MOD -> lhs % rhs;
      case POW -> pow(lhs, rhs);
      case ATAN2 -> Math.atan2(lhs, rhs);
      default -> throw new IllegalArgumentException(op + " is not an arithmetic operator");
    };
  }

  /** Whether a comparison holds (false whenever NaN is involved, except for {@code !=}). */
  static boolean compare(BinaryOp op, double lhs, double rhs) {
    return switch (op) {
      case EQL -> lhs == rhs;
      case NEQ -> lhs != rhs;
      case GTR -> lhs > rhs;
      case LSS -> lhs < rhs;
      case GTE -> lhs >= rhs;
      case LTE -> lhs <= rhs;
      default -> throw new IllegalArgumentException(op + " is not a comparison operator");
    };
  }

  /** {@code scalarBinop}: comparisons between scalars always give 0 or 1. */
  static double scalars(BinaryOp op, double lhs, double rhs) {
    return op.isComparison() ? (compare(op, lhs, rhs) ? 1 : 0) : apply(op, lhs, rhs);
  }

  /**
   * Whether the operator drops {@code __name__} from its result ({@code shouldDropMetricName} in
   * 2.42: not for comparisons without {@code bool}, and not for {@code atan2}).
   */
  static boolean dropsMetricName(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, MUL, DIV, POW, MOD -> true;
      default -> false;
    };
  }

  /** Go's {@code math.Pow}, whose special cases differ from Java's for a base of ±1. */
  private static double pow(double x, double y) {
    if (x == 1 || (x == -1 && Double.isInfinite(y))) {
      return 1;
    }
    return Math.pow(x, y);
  }
}
