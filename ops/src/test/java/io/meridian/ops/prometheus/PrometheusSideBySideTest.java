package io.meridian.ops.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PromQL acceptance test: Meridian and a real Prometheus 2.42 receive the same {@link
 * GeneratedData} by remote write, then every one of {@link Expressions} must give the same answer
 * on both, as range query over the last two hours of the data and as instant query at two times. A
 * failure lists every differing query with its first difference.
 */
@ExtendWith({CassandraExtension.class, PrometheusExtension.class})
class PrometheusSideBySideTest {

  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

  private static GeneratedData data;
  private static TestNode meridian;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void load(CassandraServer cassandra, PrometheusServer reference) {
    prometheus = reference;
    meridian = TestNode.start(cassandra, "promql_side_by_side");
    data = GeneratedData.endingNow();
    DataLoading.write(data, prometheus.url(), "/api/v1/write");
    DataLoading.write(data, meridian.url(), "/api/v1/write");
    DataLoading.awaitQueryable(data, prometheus.url() + "/api/v1", LOAD_TIMEOUT);
    DataLoading.awaitQueryable(data, meridian.url() + "/api/v1", LOAD_TIMEOUT);
  }

  @AfterAll
  static void stopMeridian() {
    if (meridian != null) {
      meridian.close();
    }
  }

  @Test
  void rangeQueriesMatchPrometheus() {
    ResultComparison comparison = comparison("/api/v1");
    long end = data.endMillis() / 1000;
    long start = end - Duration.ofHours(2).toSeconds();
    List<ResultComparison.Outcome> outcomes =
        Expressions.over(data).stream()
            .map(e -> comparison.range(e, start, end, 60))
            .collect(Collectors.toList());
    assertThat(ResultComparison.differences(outcomes)).isEmpty();
  }

  @Test
  void instantQueriesMatchPrometheus() {
    ResultComparison comparison = comparison("/api/v1");
    long end = data.endMillis() / 1000;
    List<ResultComparison.Outcome> outcomes =
        Expressions.over(data).stream()
            .flatMap(
                e ->
                    List.of(end, Expressions.fixedAtSeconds(data)).stream()
                        .map(time -> comparison.instant(e, time)))
            .collect(Collectors.toList());
    assertThat(ResultComparison.differences(outcomes)).isEmpty();
  }

  @Test
  void prometheusPrefixServesTheSameAnswers() {
    ResultComparison comparison = comparison("/prometheus/api/v1");
    long end = data.endMillis() / 1000;
    List<ResultComparison.Outcome> outcomes =
        Expressions.over(data).stream()
            .limit(20)
            .map(e -> comparison.range(e, end - 3600, end, 60))
            .collect(Collectors.toList());
    assertThat(ResultComparison.differences(outcomes)).isEmpty();
  }

  private static ResultComparison comparison(String meridianApi) {
    return new ResultComparison(prometheus.url() + "/api/v1", meridian.url() + meridianApi);
  }
}
