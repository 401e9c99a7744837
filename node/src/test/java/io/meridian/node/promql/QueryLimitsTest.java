package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.protocol.promql.Function.SUM_OVER_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Queries fail as Prometheus' do when they would hold too many samples or run too long. */
class QueryLimitsTest {

  private static InMemorySeriesSource tenSamples() {
    return new InMemorySeriesSource().load(ms("10s"), "metric", "0+1x9");
  }

  @Test
  void loadingMoreSamplesThanTheLimitFails() {
    PromQlEngine engine = Fixtures.engine(tenSamples(), 5, Duration.ofMinutes(1));
    assertThatThrownBy(
            () ->
                engine
                    .instant("t", range(sel("metric"), "2m"), 100_000)
                    .toCompletableFuture()
                    .join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(PromQlException.class)
        .hasMessage("query processing would load too many samples into memory in query execution")
        .extracting(e -> ((PromQlException) e).kind())
        .isEqualTo(PromQlException.Kind.EXECUTION);
  }

  @Test
  void producingMorePointsThanTheLimitFails() {
    PromQlEngine engine = Fixtures.engine(tenSamples(), 30, Duration.ofMinutes(1));
    assertThatThrownBy(
            () -> engine.range("t", sel("metric"), 0, 100_000, 1000).toCompletableFuture().join())
        .cause()
        .hasMessage(QueryLimits.TOO_MANY_SAMPLES);
  }

  @Test
  void aQueryWithinTheLimitSucceeds() {
    PromQlEngine engine = Fixtures.engine(tenSamples(), 20, Duration.ofMinutes(1));
    Value value =
        engine
            .instant("t", call(SUM_OVER_TIME, range(sel("metric"), "2m")), 100_000)
            .toCompletableFuture()
            .join();
    assertThat(((Value.InstantVector) value).samples().get(0).value()).isEqualTo(45);
  }

  @Test
  void aSourceSlowerThanTheTimeoutTimesTheQueryOut() {
    SeriesSource never = (tenant, matchers, min, max) -> new CompletableFuture<>();
    PromQlEngine engine = Fixtures.engine(never, 1000, Duration.ofMillis(50));
    assertThatThrownBy(() -> engine.instant("t", sel("metric"), 0).toCompletableFuture().join())
        .cause()
        .isInstanceOf(PromQlException.class)
        .hasMessage("query timed out in expression evaluation")
        .extracting(e -> ((PromQlException) e).kind())
        .isEqualTo(PromQlException.Kind.TIMEOUT);
  }

  @Test
  void anEvaluationLongerThanTheTimeoutTimesOut() {
    QueryLimits limits = new QueryLimits(10, Duration.ofMillis(1).toNanos(), 0);
    assertThatThrownBy(limits::checkDeadline)
        .isInstanceOf(PromQlException.class)
        .hasMessage("query timed out in expression evaluation");
  }
}
