package io.meridian.node.promql;

import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.Function;
import io.meridian.protocol.promql.LabelMatcher;
import io.meridian.protocol.promql.ValueType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

  /** Most values a range function is computed for ahead (steps × series, 8 bytes each). */
  static final long MAX_STEP_RESULTS = 4_000_000;

  /** The steps of the range query being evaluated, or null (an instant query). */
  private StepGrid grid;

  /** Range-function calls evaluated for every step at once, by call object. */
  private final Map<Expr.Call, StepResults> byCall = new IdentityHashMap<>();

  Evaluator(Selectors selectors, Subqueries subqueries, QueryLimits limits) {
    this.selectors = selectors;
    this.subqueries = subqueries;
    this.limits = limits;
  }

  /**
   * Tells the evaluator that it will be asked for every step of a range query, so that it may
   * compute a range function over a selector for all steps in one pass over each series.
   */
  void evaluateSteps(long startMs, long endMs, long stepMs) {
    this.grid = new StepGrid(startMs, endMs, stepMs);
  }

  /** The evaluation times of a range query. */
  private record StepGrid(long startMs, long endMs, long stepMs) {
    int steps() {
      return (int) ((endMs - startMs) / stepMs) + 1;
    }

    /** The index of {@code timeMs} among the steps, or -1. */
    int index(long timeMs) {
      if (timeMs < startMs || timeMs > endMs || (timeMs - startMs) % stepMs != 0) {
        return -1;
      }
      return (int) ((timeMs - startMs) / stepMs);
    }
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
    int step = grid == null ? -1 : grid.index(timeMs);
    if (step >= 0) {
      StepResults results = byCall.computeIfAbsent(call, this::allSteps);
      if (results != StepResults.NONE) {
        return checked(results.at(step, timeMs));
      }
    }
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

  /**
   * A range function over a plain matrix selector (no {@code @}) with number arguments, computed
   * for every step of the range query series by series, as Prometheus does: each series' samples
   * are walked once with a sliding window instead of searched for and touched again at every step
   * (which, step by step, misses the CPU caches once per series and step). {@link StepResults#NONE}
   * for other calls, which are evaluated step by step.
   */
  private StepResults allSteps(Expr.Call call) {
    Function function = call.function();
    int rangeIndex = RangeFunctions.rangeArgument(function);
    List<Double> scalars = new ArrayList<>();
    for (int i = 0; i < call.args().size(); i++) {
      Expr arg = unwrap(call.args().get(i));
      if (i == rangeIndex) {
        if (!(arg instanceof Expr.MatrixSelector matrix) || matrix.selector().at() != null) {
          return StepResults.NONE;
        }
        scalars.add(Double.NaN);
      } else if (arg instanceof Expr.NumberLiteral number) {
        scalars.add(number.value());
      } else {
        return StepResults.NONE;
      }
    }
    Expr.MatrixSelector matrix = (Expr.MatrixSelector) unwrap(call.args().get(rangeIndex));
    long offset = matrix.selector().offsetMs();
    long range = matrix.rangeMs();
    List<LoadedSeries> series = selectors.series(matrix.selector());
    int steps = grid.steps();
    int width = series.size();
    if ((long) steps * width > MAX_STEP_RESULTS) {
      return StepResults.NONE;
    }
    double[] values = new double[steps * width];
    BitSet present = new BitSet(steps * width);
    long[] points = new long[steps];
    for (int j = 0; j < width; j++) {
      limits.checkDeadline();
      LoadedSeries one = series.get(j);
      long[] ts = one.timestampsMs();
      double[] vs = one.values();
      int[] staleBefore = staleCounts(vs);
      int from = 0;
      int to = 0;
      for (int step = 0; step < steps; step++) {
        long timeMs = grid.startMs() + step * grid.stepMs();
        long end = timeMs - offset;
        long start = end - range;
        while (to < ts.length && ts[to] <= end) {
          to++;
        }
        while (from < to && ts[from] < start) {
          from++;
        }
        int stale = staleBefore == null ? 0 : staleBefore[to] - staleBefore[from];
        int n = to - from - stale;
        if (n <= 0) {
          continue;
        }
        Value.Series window = Selectors.points(one.labels(), ts, vs, from, to, n);
        points[step] += n;
        OptionalDouble result =
            RangeFunctions.apply(
                function, window, new RangeWindow(List.of(), start, end), scalars, timeMs);
        if (result.isPresent()) {
          values[step * width + j] = result.getAsDouble();
          present.set(step * width + j);
        }
      }
    }
    for (long stepPoints : points) {
      limits.checkTransient(stepPoints);
    }
    List<Labels> labels = new ArrayList<>(width);
    for (LoadedSeries one : series) {
      // last_over_time acts like a selector with a longer lookback, so it keeps the name.
      labels.add(
          function == Function.LAST_OVER_TIME ? one.labels() : one.labels().withoutMetricName());
    }
    return new StepResults(labels, values, present);
  }

  /** Stale markers before each index ({@code length + 1} counts), or null when there are none. */
  private static int[] staleCounts(double[] values) {
    int[] counts = null;
    for (int i = 0; i < values.length; i++) {
      if (SeriesSamples.isStaleMarker(values[i])) {
        if (counts == null) {
          counts = new int[values.length + 1];
        }
        counts[i + 1] = 1;
      }
    }
    if (counts != null) {
      for (int i = 1; i < counts.length; i++) {
        counts[i] += counts[i - 1];
      }
    }
    return counts;
  }

  /** A range function's value for each step and series (row-major by step). */
  private record StepResults(List<Labels> labels, double[] values, BitSet present) {

    static final StepResults NONE = new StepResults(List.of(), new double[0], new BitSet());

    Value.InstantVector at(int step, long timeMs) {
      int width = labels.size();
      List<Value.Sample> out = new ArrayList<>();
      for (int j = present.nextSetBit(step * width);
          j >= 0 && j < (step + 1) * width;
          j = present.nextSetBit(j + 1)) {
        out.add(new Value.Sample(labels.get(j - step * width), timeMs, values[j]));
      }
      return new Value.InstantVector(out);
    }
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
