package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.assertSeries;
import static io.meridian.node.promql.Fixtures.assertVector;
import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.instant;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.offset;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.node.promql.Fixtures.vector;
import static io.meridian.protocol.promql.Function.COUNT_OVER_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Selectors follow Prometheus' promql/testdata/staleness.test and its lookback rules. */
class SelectorsFollowLookbackAndStalenessTest {

  private static InMemorySeriesSource staleInTheMiddle() {
    return new InMemorySeriesSource().load(ms("10s"), "metric", "0 1 stale 2");
  }

  @Test
  void anInstantVectorOmitsASeriesWhoseLatestSampleIsStale() {
    InMemorySeriesSource source = staleInTheMiddle();
    assertVector(instant(source, sel("metric"), "10s"), vector("metric", 1));
    assertVector(instant(source, sel("metric"), "20s"), vector());
    assertVector(instant(source, sel("metric"), "30s"), vector("metric", 2));
    assertVector(instant(source, sel("metric"), "40s"), vector("metric", 2));
  }

  @Test
  void aSeriesGoesStaleFiveMinutesAfterItsLastSample() {
    InMemorySeriesSource source = staleInTheMiddle();
    assertVector(instant(source, sel("metric"), "330s"), vector("metric", 2));
    assertVector(instant(source, sel("metric"), "331s"), vector());
  }

  @Test
  void aRangeVectorSkipsStaleMarkers() {
    InMemorySeriesSource source = staleInTheMiddle();
    assertVector(
        instant(source, call(COUNT_OVER_TIME, range(sel("metric"), "1m")), "30s"), vector("{}", 3));
    assertVector(
        instant(source, call(COUNT_OVER_TIME, range(sel("metric"), "1s")), "10s"), vector("{}", 1));
    assertVector(
        instant(source, call(COUNT_OVER_TIME, range(sel("metric"), "1s")), "20s"), vector());
    assertVector(
        instant(source, call(COUNT_OVER_TIME, range(sel("metric"), "10s")), "20s"),
        vector("{}", 1));
  }

  @Test
  void aSinglePointIsSeenForExactlyTheLookbackDelta() {
    InMemorySeriesSource source = new InMemorySeriesSource().load(ms("10s"), "metric", "0");
    assertVector(instant(source, sel("metric"), "0s"), vector("metric", 0));
    assertVector(instant(source, sel("metric"), "150s"), vector("metric", 0));
    assertVector(instant(source, sel("metric"), "300s"), vector("metric", 0));
    assertVector(instant(source, sel("metric"), "301s"), vector());
  }

  @Test
  void anInstantVectorCarriesTheEvaluationTimeNotTheSampleTime() {
    Value.InstantVector result =
        (Value.InstantVector) instant(staleInTheMiddle(), sel("metric"), "45s");
    assertThat(result.samples())
        .singleElement()
        .extracting(Value.Sample::timestampMs)
        .isEqualTo(45_000L);
  }

  @Test
  void aRangeQueryHasNoPointsWhereTheGapExceedsTheLookback() {
    InMemorySeriesSource source =
        new InMemorySeriesSource().load(ms("1m"), "gappy{job=\"a\"}", "1 2 _x10 3");
    Value.Matrix matrix = Fixtures.range(source, sel("gappy"), "0s", "14m", "2m");
    assertThat(matrix.series()).hasSize(1);
    // Samples at 0m, 1m and 12m: 2 stays visible until 6m, then nothing until 12m.
    assertSeries(
        matrix.series().get(0),
        "gappy{job=\"a\"}",
        "0s",
        1,
        "2m",
        2,
        "4m",
        2,
        "6m",
        2,
        "12m",
        3,
        "14m",
        3);
  }

  @Test
  void aRangeQueryDropsASeriesAtStepsAfterItsStaleMarker() {
    Value.Matrix matrix = Fixtures.range(staleInTheMiddle(), sel("metric"), "0s", "40s", "10s");
    assertSeries(matrix.series().get(0), "metric", "0s", 0, "10s", 1, "30s", 2, "40s", 2);
  }

  @Test
  void offsetLooksBackFromAnEarlierTime() {
    InMemorySeriesSource source =
        new InMemorySeriesSource().load(ms("1m"), "http_requests{job=\"x\"}", "0+10x10");
    assertVector(
        instant(source, offset(sel("http_requests"), "5m"), "10m"),
        vector("http_requests{job=\"x\"}", 50));
    assertVector(
        instant(source, offset(sel("http_requests"), "-2m"), "5m"),
        vector("http_requests{job=\"x\"}", 70));
    assertVector(instant(source, offset(sel("http_requests"), "20m"), "10m"), vector());
  }

  @Test
  void aMatrixSelectorAtTheTopOfAnInstantQueryReturnsRawSamples() {
    Value value =
        instant(
            new InMemorySeriesSource().load(ms("10s"), "metric{a=\"b\"}", "1 2 stale 4 5"),
            range(sel("metric"), "30s"),
            "45s");
    assertThat(value).isInstanceOf(Value.Matrix.class);
    // [15s, 45s] holds 20s (stale, skipped) and 30s, 40s.
    assertSeries(((Value.Matrix) value).series().get(0), "metric{a=\"b\"}", "30s", 4, "40s", 5);
  }

  @Test
  void regexMatchersSelectSeveralSeries() {
    InMemorySeriesSource source =
        new InMemorySeriesSource()
            .load(ms("10s"), "http_requests{group=\"production\"}", "1")
            .load(ms("10s"), "http_requests{group=\"canary\"}", "2");
    assertVector(
        instant(source, sel("http_requests{group=~\"pro.*\"}"), "10s"),
        vector("http_requests{group=\"production\"}", 1));
    assertVector(
        instant(source, sel("{__name__=~\"http_.*\", group!=\"production\"}"), "10s"),
        vector("http_requests{group=\"canary\"}", 2));
  }
}
