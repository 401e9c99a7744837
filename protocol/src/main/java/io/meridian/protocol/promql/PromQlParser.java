package io.meridian.protocol.promql;

/**
 * Parses PromQL as Prometheus 2.x does into an {@link Expr}, checking types the way Prometheus'
 * parser does (function argument types, operand types of operators, range vs. instant vectors).
 */
public final class PromQlParser {

  private PromQlParser() {}

  /**
   * Parses a whole expression.
   *
   * @throws PromQlParseException when it does not parse or type-check
   */
  public static Expr parse(String expression) {
    throw new UnsupportedOperationException("the PromQL parser lands with issue 5");
  }

  /**
   * Parses a series selector as {@code match[]} parameters carry them ({@code up}, {@code
   * {job="x"}}, {@code up{job=~"a|b"}}): a vector selector without offset, {@code @} or range.
   *
   * @throws PromQlParseException when it is not one
   */
  public static Expr.VectorSelector parseSelector(String selector) {
    throw new UnsupportedOperationException("the PromQL parser lands with issue 5");
  }
}
