package io.meridian.protocol.promql;

/**
 * Parses PromQL as Prometheus 2.x does into an {@link Expr}, checking types the way Prometheus'
 * parser does (function argument types, operand types of operators, range vs. instant vectors).
 * Error messages read as Prometheus 2.42 prints them: {@code 1:5: parse error: unexpected end of
 * input}.
 */
public final class PromQlParser {

  private PromQlParser() {}

  /**
   * Parses a whole expression.
   *
   * @throws PromQlParseException when it does not parse or type-check
   */
  public static Expr parse(String expression) {
    try {
      ExprParser parser = new ExprParser(expression);
      Expr expr = parser.parseExpression();
      new TypeChecker(expression, parser.source()).check(expr);
      return expr;
    } catch (StackOverflowError e) {
      // Prometheus' table-driven parser has no nesting limit; ours recurses, so a pathologically
      // nested query is refused as bad input instead of failing the thread that parses it.
      throw ParseErrors.at(expression, 0, "expression is nested too deeply");
    }
  }

  /**
   * Parses a series selector as {@code match[]} parameters carry them ({@code up}, {@code
   * {job="x"}}, {@code up{job=~"a|b"}}): a vector selector without offset, {@code @} or range.
   *
   * @throws PromQlParseException when it is not one
   */
  public static Expr.VectorSelector parseSelector(String selector) {
    ExprParser parser = new ExprParser(selector);
    Expr.VectorSelector result = parser.parseSelectorOnly();
    new TypeChecker(selector, parser.source()).checkSelectsSomething(result);
    return result;
  }
}
