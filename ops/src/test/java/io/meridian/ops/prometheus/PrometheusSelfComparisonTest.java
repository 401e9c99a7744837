package io.meridian.ops.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the side-by-side machinery before Meridian takes part: two Prometheus servers loaded with
 * the same {@link GeneratedData} by remote write must answer every one of {@link Expressions}
 * successfully and identically, as range and as instant queries.
 */
@ExtendWith(PrometheusExtension.class)
class PrometheusSelfComparisonTest {

  private static GeneratedData data;
  private static PrometheusServer twin;
  private static ResultComparison comparison;

  @BeforeAll
  static void load(PrometheusServer prometheus) {
    data = GeneratedData.endingNow();
    twin = PrometheusServer.start();
    for (PrometheusServer server : List.of(prometheus, twin)) {
      DataLoading.write(data, server.url(), "/api/v1/write");
      DataLoading.awaitQueryable(data, server.url() + "/api/v1", Duration.ofSeconds(30));
    }
    comparison = new ResultComparison(prometheus.url() + "/api/v1", twin.url() + "/api/v1");
  }

  @AfterAll
  static void stopTwin() {
    if (twin != null) {
      twin.close();
    }
  }

  @Test
  void generatedDataHasTheShapesTheExpressionsNeed() {
    assertThat(data.series()).hasSizeGreaterThanOrEqualTo(100);
    assertThat(Expressions.over(data)).hasSizeGreaterThanOrEqualTo(100).doesNotHaveDuplicates();
  }

  @Test
  void everyExpressionSucceedsOnPrometheusAndMostReturnData() {
    List<ResultComparison.Outcome> outcomes = rangeOutcomes();
    assertThat(outcomes)
        .filteredOn(o -> !o.reference().succeeded())
        .extracting(o -> o.query() + ": " + o.reference().error())
        .isEmpty();
    // Only the absence checks may be empty over the whole range: an empty answer would compare
    // equal to anything and prove nothing.
    assertThat(outcomes)
        .filteredOn(o -> o.reference().series().isEmpty())
        .extracting(ResultComparison.Outcome::query)
        .allMatch(query -> query.startsWith("absent"), "is an absence check");
  }

  @Test
  void staleMarkersEndASeriesAtOnceWhileOthersLastForTheLookback() {
    long minute = Duration.ofMinutes(1).toSeconds();
    long end = data.endMillis() / 1000;
    // legacy-0 stops 100 minutes before the end with a stale marker, legacy-1 20 minutes later
    // without one; two minutes after its stop only legacy-1 is still seen.
    ResultComparison.Outcome marked =
        comparison.instant(
            "legacy_sessions{instance=\"legacy-0:7000\"}", end - 100 * minute + 2 * minute);
    ResultComparison.Outcome unmarked =
        comparison.instant(
            "legacy_sessions{instance=\"legacy-1:7000\"}", end - 80 * minute + 2 * minute);
    assertThat(marked.reference().series()).isEmpty();
    assertThat(unmarked.reference().series()).hasSize(1);
  }

  @Test
  void rangeQueriesAgreeBetweenTwoPrometheusServers() {
    assertThat(ResultComparison.differences(rangeOutcomes())).isEmpty();
  }

  @Test
  void instantQueriesAgreeBetweenTwoPrometheusServers() {
    long end = data.endMillis() / 1000;
    List<ResultComparison.Outcome> outcomes =
        Expressions.over(data).stream()
            .flatMap(
                e ->
                    List.of(end, Expressions.fixedAtSeconds(data)).stream()
                        .map(time -> comparison.instant(e, time)))
            .collect(Collectors.toList());
    assertThat(outcomes)
        .filteredOn(o -> !o.reference().succeeded())
        .extracting(o -> o.query() + ": " + o.reference().error())
        .isEmpty();
    assertThat(ResultComparison.differences(outcomes)).isEmpty();
  }

  private static List<ResultComparison.Outcome> rangeOutcomes() {
    long end = data.endMillis() / 1000;
    long start = end - Duration.ofHours(2).toSeconds();
    return Expressions.over(data).stream()
        .map(e -> comparison.range(e, start, end, 60))
        .collect(Collectors.toList());
  }
}
