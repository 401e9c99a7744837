package io.meridian.node.promql;

import io.meridian.protocol.promql.Expr;
import java.util.concurrent.CompletionStage;

/**
 * Evaluates PromQL expressions for a tenant as Prometheus' engine does: selectors read raw samples
 * from a {@link SeriesSource} once per query, then the expression is evaluated at each step with
 * Prometheus' lookback, staleness and step-alignment rules.
 */
public final class PromQlEngine {

  private final SeriesSource source;
  private final EngineSettings settings;

  public PromQlEngine(SeriesSource source, EngineSettings settings) {
    this.source = source;
    this.settings = settings;
  }

  /**
   * The value of {@code expr} at {@code timeMs} (an instant query): a scalar, string, instant
   * vector, or matrix for a range-vector expression. Fails with {@link PromQlException} or {@code
   * StoreUnavailableException}.
   */
  public CompletionStage<Value> instant(String tenant, Expr expr, long timeMs) {
    throw new UnsupportedOperationException("the PromQL engine lands with issue 5");
  }

  /**
   * The values of {@code expr} from {@code startMs} to {@code endMs} every {@code stepMs} (a range
   * query): one series per label set, with a point at each step where it has a value. Scalars
   * become a series without labels. {@code expr} must be a scalar or instant-vector expression.
   */
  public CompletionStage<Value.Matrix> range(
      String tenant, Expr expr, long startMs, long endMs, long stepMs) {
    throw new UnsupportedOperationException("the PromQL engine lands with issue 5");
  }

  SeriesSource source() {
    return source;
  }

  EngineSettings settings() {
    return settings;
  }
}
