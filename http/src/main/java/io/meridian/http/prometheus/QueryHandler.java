package io.meridian.http.prometheus;

import io.meridian.http.Handlers;
import io.meridian.node.promql.PromQlEngine;
import io.meridian.node.promql.PromQlException;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.PromQlParseException;
import io.meridian.protocol.promql.PromQlParser;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code /api/v1/query} and {@code /api/v1/query_range}: checks the parameters in Prometheus' order
 * and with its messages, parses the expression and has the engine evaluate it.
 */
final class QueryHandler {

  /** Prometheus' cap on the points of one series of a range query. */
  static final long MAX_POINTS = 11_000;

  private final PromQlEngine engine;
  private final PromResponses responses;
  private final LongSupplier clock;

  QueryHandler(PromQlEngine engine, PromResponses responses, LongSupplier clock) {
    this.engine = engine;
    this.responses = responses;
    this.clock = clock;
  }

  CompletionStage<HttpResponse> instant(String tenant, PromParams params) {
    long time = params.time("time", clock.getAsLong());
    Duration timeout = params.optionalPositiveDuration("timeout");
    Expr expr = parse(params.get("query"));
    return answer(engine.instant(tenant, expr, time), timeout);
  }

  CompletionStage<HttpResponse> range(String tenant, PromParams params) {
    long start = params.requiredTime("start");
    long end = params.requiredTime("end");
    if (end < start) {
      throw PromApiException.invalidParam("end", "end timestamp must not be before start time");
    }
    long step = params.duration("step");
    if (step <= 0) {
      throw PromApiException.invalidParam(
          "step",
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if ((end - start) / step > MAX_POINTS) {
      throw PromApiException.badData(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
    Duration timeout = params.optionalPositiveDuration("timeout");
    Expr expr = parse(params.get("query"));
    // VictoriaMetrics' nocache=1: compute every step, keep nothing.
    boolean cached = !(params.get("nocache").equals("1") || params.get("nocache").equals("true"));
    return answer(engine.range(tenant, expr, start, end, step, cached), timeout);
  }

  private static Expr parse(String query) {
    try {
      return PromQlParser.parse(query);
    } catch (PromQlParseException e) {
      throw PromApiException.invalidParam("query", e.getMessage());
    }
  }

  private CompletionStage<HttpResponse> answer(
      CompletionStage<? extends io.meridian.node.promql.Value> result, Duration timeout) {
    CompletionStage<? extends io.meridian.node.promql.Value> bounded =
        timeout == null
            ? result
            : result
                .toCompletableFuture()
                .copy()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(
                    failure -> {
                      if (Handlers.cause(failure) instanceof TimeoutException) {
                        throw new PromQlException(
                            PromQlException.Kind.TIMEOUT,
                            "query timed out in expression evaluation");
                      }
                      throw failure instanceof CompletionException c
                          ? c
                          : new CompletionException(failure);
                    });
    return bounded.thenApply(value -> responses.success(out -> PromJson.writeResult(out, value)));
  }
}
