package io.meridian.protocol.promql;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Parses PromQL as Prometheus 2.x does into an {@link Expr}, checking types the way Prometheus'
 * parser does (function argument types, operand types of operators, range vs. instant vectors).
 * Error messages read as Prometheus 2.42 prints them: {@code 1:5: parse error: unexpected end of
 * input}.
 */
public final class PromQlParser {

  /**
   * The deepest expression tree a query may have (parentheses, operators, function calls and
   * aggregations each add a level). The type checker and the evaluator recurse once per level, so a
   * deeper tree would overflow the stack of the thread evaluating it; Prometheus has no limit, and
   * real queries are a few dozen levels deep at most.
   */
  public static final int MAX_DEPTH = 1_000;

  private PromQlParser() {}

  /** The depth of {@code expr}'s tree, found without recursion. */
  static int depth(Expr expr) {
    record Level(Expr expr, int depth) {}
    ArrayDeque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(expr, 1));
    int deepest = 0;
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      deepest = Math.max(deepest, level.depth());
      for (Expr child : children(level.expr())) {
        if (child != null) {
          pending.push(new Level(child, level.depth() + 1));
        }
      }
    }
    return deepest;
  }

  private static List<Expr> children(Expr expr) {
    if (expr instanceof Expr.Paren paren) {
      return List.of(paren.expr());
    } else if (expr instanceof Expr.Unary unary) {
      return List.of(unary.expr());
    } else if (expr instanceof Expr.Subquery subquery) {
      return List.of(subquery.expr());
    } else if (expr instanceof Expr.Binary binary) {
      return List.of(binary.lhs(), binary.rhs());
    } else if (expr instanceof Expr.Aggregate aggregate) {
      return aggregate.param() == null
          ? List.of(aggregate.expr())
          : List.of(aggregate.expr(), aggregate.param());
    } else if (expr instanceof Expr.Call call) {
      return call.args();
    }
    return List.of();
  }

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
      if (depth(expr) > MAX_DEPTH) {
        throw ParseErrors.at(
            expression, 0, "expression is nested more than " + MAX_DEPTH + " levels deep");
      }
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
