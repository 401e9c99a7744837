package io.meridian.protocol.promql;

import java.util.List;
import java.util.Objects;

/**
 * A parsed PromQL expression: an immutable tree that {@code PromQlParser} builds and the node's
 * engine evaluates. Durations and timestamps are milliseconds. Node types follow Prometheus' {@code
 * promql/parser/ast.go}.
 */
public sealed interface Expr {

  /** What the expression evaluates to. */
  ValueType type();

  /** {@code 1}, {@code 2.5e3}, {@code Inf}, {@code NaN}, {@code 0x1f}. */
  record NumberLiteral(double value) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }
  }

  /** {@code "text"}, {@code 'text'} or {@code `text`}, with escapes resolved. */
  record StringLiteral(String value) implements Expr {
    public StringLiteral {
      Objects.requireNonNull(value);
    }

    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /**
   * {@code name{matchers} offset 5m @ 1700000000}. {@code name} is null when the selector has none;
   * when it has one, {@code matchers} include the equivalent {@code __name__="name"} matcher, so
   * evaluation needs only the matchers. {@code at} is null without an {@code @} modifier.
   */
  record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMs, AtModifier at)
      implements Expr {
    public VectorSelector {
      matchers = List.copyOf(matchers);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /** {@code selector[5m]}; offset and {@code @} live on the selector. */
  record MatrixSelector(VectorSelector selector, long rangeMs) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  /**
   * {@code expr[range:step] offset … @ …}; {@code stepMs} is 0 when omitted (the engine then uses
   * the default evaluation interval, 1 m, as Prometheus does).
   */
  record Subquery(Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  /** {@code (expr)}. */
  record Paren(Expr expr) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  /** {@code -expr} or {@code +expr}. */
  record Unary(boolean negative, Expr expr) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  /**
   * {@code lhs op [bool] [on|ignoring(...) [group_left|group_right(...)]] rhs}. {@code matching} is
   * null unless both sides are instant vectors; then it is never null (one-to-one, ignoring
   * nothing, when the query says nothing; many-to-many for {@code and}/{@code or}/{@code unless}).
   */
  record Binary(BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching matching)
      implements Expr {
    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.VECTOR;
    }
  }

  /**
   * {@code op [by|without (labels)] ([param,] expr)}; {@code param} is non-null for {@code topk},
   * {@code bottomk}, {@code quantile} and {@code count_values}. Without a clause, {@code grouping}
   * is empty and {@code without} false (aggregate everything into one series).
   */
  record Aggregate(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without)
      implements Expr {
    public Aggregate {
      grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /** {@code function(args…)}; the parser checked the arguments against {@link Function}. */
  record Call(Function function, List<Expr> args) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
      return function.returnType();
    }
  }
}
