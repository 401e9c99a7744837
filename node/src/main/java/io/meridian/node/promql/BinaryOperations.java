package io.meridian.node.promql;

import io.meridian.protocol.promql.Expr;

/**
 * PromQL binary operators between scalars and instant vectors evaluated at the same instant.
 * Placeholder on the engine branch so that the engine compiles; the operators branch supplies the
 * real class.
 */
final class BinaryOperations {

  private BinaryOperations() {}

  /** {@code lhs op rhs} at {@code timestampMs}; each side is a Scalar or an InstantVector. */
  static Value apply(Expr.Binary expr, Value lhs, Value rhs, long timestampMs) {
    throw new UnsupportedOperationException("binary operators come with the operators branch");
  }
}
