package io.meridian.node.promql;

import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.Function;
import io.meridian.protocol.promql.LabelMatcher;
import io.meridian.protocol.promql.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Evaluates an expression at one instant over the samples a query loaded, as Prometheus' evaluator
 * does for one step: selectors, literals, unary minus, subqueries, the functions that need raw
 * samples or selectors ({@code time}, {@code timestamp}, {@code absent}, range-vector functions),
 * and delegates operators, aggregations and the other functions. Every sample of a result carries
 * the evaluation time.
 */
final class Evaluator {

  static final String DUPLICATE_LABELSET = "vector cannot contain metrics with the same labelset";

  private final Selectors selectors;
  private final Subqueries subqueries;
  private final QueryLimits limits;

  Evaluator(Selectors selectors, Subqueries subqueries, QueryLimits limits) {
    this.selectors = selectors;
    this.subqueries = subqueries;
    this.limits = limits;
  }

  /**
   * The value of {@code expr} at {@code timeMs}: a Scalar, StringValue or InstantVector, or for a
   * range-vector expression the Matrix of its window.
   */
  Value eval(Expr expr, long timeMs) {
    limits.checkDeadline();
    if (expr.type() == ValueType.MATRIX) {
      return new Value.Matrix(window(expr, timeMs).series());
    }
    if (expr instanceof Expr.NumberLiteral number) {
      return new Value.Scalar(timeMs, number.value());
    }
    if (expr instanceof Expr.StringLiteral string) {
      return new Value.StringValue(timeMs, string.value());
    }
    if (expr instanceof Expr.VectorSelector selector) {
      return new Value.InstantVector(selectors.instant(selector, timeMs, false));
    }
    if (expr instanceof Expr.Paren paren) {
      return eval(paren.expr(), timeMs);
    }
    if (expr instanceof Expr.Unary unary) {
      return negate(unary, eval(unary.expr(), timeMs));
    }
    if (expr instanceof Expr.Binary binary) {
      Value lhs = eval(binary.lhs(), timeMs);
      Value rhs = eval(binary.rhs(), timeMs);
      return checked(BinaryOperations.apply(binary, lhs, rhs, timeMs));
    }
    if (expr instanceof Expr.Aggregate aggregate) {
      Value param = aggregate.param() == null ? null : eval(aggregate.param(), timeMs);
      Value.InstantVector input = (Value.InstantVector) eval(aggregate.expr(), timeMs);
      return checked(Aggregations.aggregate(aggregate, input, param));
    }
    if (expr instanceof Expr.Call call) {
      return call(call, timeMs);
    }
    throw new IllegalArgumentException("cannot evaluate " + expr + " at an instant");
  }

  /** The range vector a matrix selector or subquery (possibly in parentheses) yields. */
  RangeWindow window(Expr expr, long timeMs) {
    Expr inner = unwrap(expr);
    if (inner instanceof Expr.MatrixSelector selector) {
      return selectors.range(selector, timeMs);
    }
    if (inner instanceof Expr.Subquery subquery) {
      return subqueries.window(subquery, timeMs, this);
    }
    throw new IllegalArgumentException("not a range vector: " + expr);
  }

  private Value negate(Expr.Unary unary, Value value) {
    if (!unary.negative()) {
      return value;
    }
    if (value instanceof Value.Scalar scalar) {
      return new Value.Scalar(scalar.timestampMs(), -scalar.value());
    }
    List<Value.Sample> negated = new ArrayList<>();
    for (Value.Sample sample : ((Value.InstantVector) value).samples()) {
      negated.add(
          new Value.Sample(
              sample.labels().withoutMetricName(), sample.timestampMs(), -sample.value()));
    }
    return checked(new Value.InstantVector(negated));
  }

  private Value call(Expr.Call call, long timeMs) {
    Function function = call.function();
    List<Expr> args = call.args();
    switch (function) {
      case TIME:
        return new Value.Scalar(timeMs, timeMs / 1000.0);
      case TIMESTAMP:
        return timestamp(args.get(0), timeMs);
      case ABSENT:
        return absent(
            ((Value.InstantVector) eval(args.get(0), timeMs)).samples().isEmpty(),
            args.get(0),
            timeMs);
      case ABSENT_OVER_TIME:
        return absent(window(args.get(0), timeMs).series().isEmpty(), args.get(0), timeMs);
      default:
        break;
    }
    if (RangeFunctions.handles(function)) {
      return rangeCall(call, timeMs);
    }
    List<Value> values = new ArrayList<>(args.size());
    if (args.isEmpty() && !function.argTypes().isEmpty()) {
      // Date functions without an argument work on vector(time()).
      values.add(
          new Value.InstantVector(
              List.of(new Value.Sample(Labels.empty(), timeMs, timeMs / 1000.0))));
    }
    for (Expr arg : args) {
      values.add(eval(arg, timeMs));
    }
    return checked(InstantFunctions.call(function, values, timeMs));
  }

  private Value rangeCall(Expr.Call call, long timeMs) {
    Function function = call.function();
    int rangeIndex = RangeFunctions.rangeArgument(function);
    List<Double> scalars = new ArrayList<>();
    for (int i = 0; i < call.args().size(); i++) {
      scalars.add(
          i == rangeIndex ? Double.NaN : ((Value.Scalar) eval(call.args().get(i), timeMs)).value());
    }
    RangeWindow window = window(call.args().get(rangeIndex), timeMs);
    List<Value.Sample> out = new ArrayList<>();
    for (Value.Series series : window.series()) {
      OptionalDouble result = RangeFunctions.apply(function, series, window, scalars, timeMs);
      if (result.isPresent()) {
        // last_over_time acts like a selector with a longer lookback, so it keeps the name.
        Labels labels =
            function == Function.LAST_OVER_TIME
                ? series.labels()
                : series.labels().withoutMetricName();
        out.add(new Value.Sample(labels, timeMs, result.getAsDouble()));
      }
    }
    return checked(new Value.InstantVector(out));
  }

  private Value timestamp(Expr arg, long timeMs) {
    Expr inner = unwrap(arg);
    // Evaluated samples carry the evaluation time; only a selector still knows the sample's own.
    List<Value.Sample> samples =
        inner instanceof Expr.VectorSelector selector
            ? selectors.instant(selector, timeMs, true)
            : ((Value.InstantVector) eval(arg, timeMs)).samples();
    List<Value.Sample> out = new ArrayList<>(samples.size());
    for (Value.Sample sample : samples) {
      out.add(
          new Value.Sample(
              sample.labels().withoutMetricName(), timeMs, sample.timestampMs() / 1000.0));
    }
    return checked(new Value.InstantVector(out));
  }

  private static Value absent(boolean absent, Expr arg, long timeMs) {
    if (!absent) {
      return new Value.InstantVector(List.of());
    }
    return new Value.InstantVector(List.of(new Value.Sample(absentLabels(arg), timeMs, 1)));
  }

  /**
   * The labels {@code absent} reports: those an equality matcher of the selector fixes, except
   * {@code __name__} and labels matched more than once (Prometheus' createLabelsForAbsentFunction).
   */
  static Labels absentLabels(Expr arg) {
    Expr inner = unwrap(arg);
    List<LabelMatcher> matchers;
    if (inner instanceof Expr.VectorSelector selector) {
      matchers = selector.matchers();
    } else if (inner instanceof Expr.MatrixSelector selector) {
      matchers = selector.selector().matchers();
    } else {
      return Labels.empty();
    }
    Labels labels = Labels.empty();
    Set<String> ambiguous = new HashSet<>();
    for (LabelMatcher matcher : matchers) {
      if (matcher.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (matcher.type() == LabelMatcher.Type.EQUAL && labels.get(matcher.name()) == null) {
        labels = labels.with(matcher.name(), matcher.value());
      } else {
        ambiguous.add(matcher.name());
      }
    }
    return labels.without(ambiguous);
  }

  private static Expr unwrap(Expr expr) {
    Expr inner = expr;
    while (inner instanceof Expr.Paren paren) {
      inner = paren.expr();
    }
    return inner;
  }

  /** Fails, as Prometheus does, when a computed vector holds two samples with one label set. */
  private static Value checked(Value value) {
    if (value instanceof Value.InstantVector vector) {
      Set<Labels> seen = new HashSet<>();
      for (Value.Sample sample : vector.samples()) {
        if (!seen.add(sample.labels())) {
          throw new PromQlException(PromQlException.Kind.EXECUTION, DUPLICATE_LABELSET);
        }
      }
    }
    return value;
  }
}
