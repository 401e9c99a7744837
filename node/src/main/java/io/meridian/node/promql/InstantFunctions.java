package io.meridian.node.promql;

import java.util.List;

/**
 * PromQL functions whose arguments are all scalars, instant vectors or strings ({@code abs}, {@code
 * label_replace}, {@code histogram_quantile}, date functions, …). Placeholder on the engine branch
 * so that the engine compiles; the operators branch supplies the real class.
 */
final class InstantFunctions {

  private InstantFunctions() {}

  /** {@code function(args…)} at {@code timestampMs}. */
  static Value call(
      io.meridian.protocol.promql.Function function, List<Value> args, long timestampMs) {
    throw new UnsupportedOperationException("instant functions come with the operators branch");
  }
}
