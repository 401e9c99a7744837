package io.meridian.node.promql;

import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.LabelMatcher;
import io.meridian.protocol.promql.ValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Evaluates PromQL expressions for a tenant as Prometheus' engine does: selectors read raw samples
 * from a {@link SeriesSource} once per query, then the expression is evaluated at each step with
 * Prometheus' lookback, staleness and step-alignment rules.
 */
public final class PromQlEngine {

  private final SeriesSource source;
  private final EngineSettings settings;
  private final RangeResultCache cache;
  private final LongSupplier clock;

  public PromQlEngine(SeriesSource source, EngineSettings settings) {
    this(source, settings, null, System::currentTimeMillis);
  }

  /**
   * An engine that keeps range-query results in {@code cache} (none when null), judging their age
   * by {@code clock} (epoch milliseconds).
   */
  public PromQlEngine(
      SeriesSource source, EngineSettings settings, RangeResultCache cache, LongSupplier clock) {
    this.source = source;
    this.settings = settings;
    this.cache = cache;
    this.clock = clock;
  }

  /**
   * The value of {@code expr} at {@code timeMs} (an instant query): a scalar, string, instant
   * vector, or matrix for a range-vector expression. Fails with {@link PromQlException} or {@code
   * StoreUnavailableException}.
   */
  public CompletionStage<Value> instant(String tenant, Expr expr, long timeMs) {
    return run(
        tenant,
        expr,
        timeMs,
        timeMs,
        (evaluator, limits) -> {
          Value value = evaluator.eval(expr, timeMs);
          if (value instanceof Value.Matrix matrix) {
            limits.hold(matrix.series().stream().mapToLong(Value.Series::size).sum());
            return sorted(matrix.series());
          }
          return value;
        });
  }

  /**
   * The values of {@code expr} from {@code startMs} to {@code endMs} every {@code stepMs} (a range
   * query): one series per label set, with a point at each step where it has a value. Scalars
   * become a series without labels. {@code expr} must be a scalar or instant-vector expression.
   * Steps kept in the engine's {@link RangeResultCache} are taken from it.
   */
  public CompletionStage<Value.Matrix> range(
      String tenant, Expr expr, long startMs, long endMs, long stepMs) {
    return range(tenant, expr, startMs, endMs, stepMs, true);
  }

  /**
   * A range query as {@link #range(String, Expr, long, long, long)}; with {@code cached} false,
   * every step is computed from the stored samples and nothing is kept.
   */
  public CompletionStage<Value.Matrix> range(
      String tenant, Expr expr, long startMs, long endMs, long stepMs, boolean cached) {
    if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
      return CompletableFuture.failedFuture(
          new PromQlException(
              PromQlException.Kind.BAD_DATA,
              "invalid expression type \""
                  + (expr.type() == ValueType.MATRIX ? "range vector" : expr.type().apiName())
                  + "\" for range query, must be Scalar or instant Vector"));
    }
    if (stepMs <= 0) {
      return CompletableFuture.failedFuture(
          new PromQlException(
              PromQlException.Kind.BAD_DATA,
              "zero or negative query resolution step widths are not accepted. Try a positive"
                  + " integer"));
    }
    if (!cached
        || cache == null
        || !cache.settings().enabled()
        || !RangeResultCache.cacheable(expr)) {
      return compute(tenant, expr, startMs, endMs, stepMs);
    }
    long nowMs = clock.getAsLong();
    long generation = cache.generation(tenant);
    RangeResultCache.Hit hit = cache.get(tenant, expr, startMs, endMs, stepMs, nowMs);
    long fromMs = hit == null ? startMs : hit.toMs() + stepMs;
    CompletionStage<Value.Matrix> rest =
        fromMs > endMs
            ? CompletableFuture.completedFuture(new Value.Matrix(List.of()))
            : compute(tenant, expr, fromMs, endMs, stepMs);
    return rest.thenApply(
        computed -> {
          List<Value.Series> series =
              hit == null
                  ? computed.series()
                  : RangeResultCache.concat(hit.series(), computed.series());
          cache.put(tenant, expr, startMs, endMs, stepMs, series, generation, nowMs);
          return hit == null ? computed : new Value.Matrix(series);
        });
  }

  private CompletionStage<Value.Matrix> compute(
      String tenant, Expr expr, long startMs, long endMs, long stepMs) {
    return run(
        tenant,
        expr,
        startMs,
        endMs,
        (evaluator, limits) -> {
          evaluator.evaluateSteps(startMs, endMs, stepMs);
          Map<Labels, SeriesBuilder> series = new HashMap<>();
          for (long t = startMs; t <= endMs; t += stepMs) {
            Value value = evaluator.eval(expr, t);
            if (value instanceof Value.Scalar scalar) {
              limits.hold(1);
              series.computeIfAbsent(Labels.empty(), SeriesBuilder::new).add(t, scalar.value());
            } else {
              List<Value.Sample> samples = ((Value.InstantVector) value).samples();
              limits.hold(samples.size());
              for (Value.Sample sample : samples) {
                series.computeIfAbsent(sample.labels(), SeriesBuilder::new).add(t, sample.value());
              }
            }
          }
          List<Value.Series> built = new ArrayList<>(series.size());
          series.values().forEach(builder -> built.add(builder.build()));
          return sorted(built);
        });
  }

  /** How a query's evaluation turns the loaded samples into its result. */
  private interface Evaluation<T> {
    T evaluate(Evaluator evaluator, QueryLimits limits);
  }

  /** Plans the fetches, loads them all, then evaluates; all within the query timeout. */
  private <T> CompletionStage<T> run(
      String tenant, Expr expr, long startMs, long endMs, Evaluation<T> evaluation) {
    long timeoutNanos = settings.timeout().toNanos();
    QueryLimits limits = new QueryLimits(settings.maxSamples(), timeoutNanos, System.nanoTime());
    long lookbackMs = settings.lookbackDelta().toMillis();
    List<QueryPlan.Fetch> fetches = QueryPlan.of(expr, startMs, endMs, lookbackMs);
    List<CompletableFuture<List<SeriesSamples>>> reads = new ArrayList<>(fetches.size());
    for (QueryPlan.Fetch fetch : fetches) {
      reads.add(
          source
              .select(tenant, fetch.matchers(), fetch.minMs(), fetch.maxMs())
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                throw asCompletionException(failure);
              }
              Map<List<LabelMatcher>, List<LoadedSeries>> data = new HashMap<>();
              for (int i = 0; i < fetches.size(); i++) {
                List<LoadedSeries> loaded = new ArrayList<>();
                for (SeriesSamples samples : reads.get(i).join()) {
                  limits.hold(samples.size());
                  loaded.add(
                      new LoadedSeries(
                          Labels.of(samples.key()), samples.timestamps(), samples.values()));
                }
                // Prometheus' storage returns series sorted by labels; operators that keep input
                // order on ties (topk, bottomk, sort) must see the same order to agree.
                loaded.sort(Comparator.comparing(LoadedSeries::labels));
                data.put(fetches.get(i).matchers(), loaded);
              }
              Selectors selectors = new Selectors(data, lookbackMs, startMs, endMs, limits);
              Subqueries subqueries =
                  new Subqueries(settings.defaultSubqueryStep().toMillis(), startMs, endMs, limits);
              return evaluation.evaluate(new Evaluator(selectors, subqueries, limits), limits);
            });
  }

  private static CompletionException asCompletionException(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TimeoutException) {
      cause = QueryLimits.timedOut();
    }
    return cause instanceof CompletionException completion
        ? completion
        : new CompletionException(cause);
  }

  private static Value.Matrix sorted(List<Value.Series> series) {
    List<Value.Series> copy = new ArrayList<>(series);
    copy.sort(Comparator.comparing(Value.Series::labels));
    return new Value.Matrix(copy);
  }
}
