package io.meridian.node.promql;

import io.meridian.protocol.promql.Expr;

/**
 * PromQL aggregation operators ({@code sum}, {@code topk}, …) over one instant vector. Placeholder
 * on the engine branch so that the engine compiles; the operators branch supplies the real class.
 */
final class Aggregations {

  private Aggregations() {}

  /** {@code expr.op()} over {@code input}; {@code param} is a Scalar, StringValue or null. */
  static Value.InstantVector aggregate(
      Expr.Aggregate expr, Value.InstantVector input, Value param) {
    throw new UnsupportedOperationException("aggregations come with the operators branch");
  }
}
