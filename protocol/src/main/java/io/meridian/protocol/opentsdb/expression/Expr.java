package io.meridian.protocol.opentsdb.expression;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A parsed arithmetic expression of {@code /api/query/exp}: numeric literals, variables (metric or
 * expression ids) and {@code + - * / %} with unary minus. Evaluation is per data point, on doubles;
 * a division or modulo by zero yields NaN (not Infinity), so that the fill policy of the expression
 * can replace it like any other missing value.
 */
public sealed interface Expr {

  /** Evaluates with {@code variables} giving the value of each variable at the current point. */
  double evaluate(ToDoubleFunction<String> variables);

  /** The distinct variables, in order of first appearance. */
  default Set<String> variables() {
    Set<String> names = new LinkedHashSet<>();
    collect(names);
    return names;
  }

  /** Adds this expression's variables to {@code names}. */
  void collect(Set<String> names);

  /** A numeric literal. */
  record Literal(double value) implements Expr {
    @Override
    public double evaluate(ToDoubleFunction<String> variables) {
      return value;
    }

    @Override
    public void collect(Set<String> names) {}
  }

  /** A reference to a metric id or expression id. */
  record Variable(String name) implements Expr {
    @Override
    public double evaluate(ToDoubleFunction<String> variables) {
      return variables.applyAsDouble(name);
    }

    @Override
    public void collect(Set<String> names) {
      names.add(name);
    }
  }

  /** Unary minus. */
  record Negate(Expr operand) implements Expr {
    @Override
    public double evaluate(ToDoubleFunction<String> variables) {
      return -operand.evaluate(variables);
    }

    @Override
    public void collect(Set<String> names) {
      operand.collect(names);
    }
  }

  /**
   * A binary operation.
   *
   * @param operator one of {@code + - * / %}
   */
  record Binary(char operator, Expr left, Expr right) implements Expr {
    @Override
    public double evaluate(ToDoubleFunction<String> variables) {
      double l = left.evaluate(variables);
      double r = right.evaluate(variables);
      return switch (operator) {
        case '+' -> l + r;
        case '-' -> l - r;
        case '*' -> l * r;
          // Infinity would print as a number no client expects; NaN is "no value" here.
        case '/' -> r == 0 ? Double.NaN : l / r;
        case '%' -> r == 0 ? Double.NaN : l % r;
        default -> throw new IllegalStateException("unknown operator " + operator);
      };
    }

    @Override
    public void collect(Set<String> names) {
      left.collect(names);
      right.collect(names);
    }
  }
}
