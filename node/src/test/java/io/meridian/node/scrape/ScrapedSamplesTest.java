package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.exposition.MetricFamily;
import io.meridian.protocol.exposition.MetricType;
import io.meridian.protocol.exposition.Sample;
import io.meridian.protocol.scrape.TargetHealth;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What one scrape stores, as Prometheus' scrape loop would. */
class ScrapedSamplesTest {

  private static final long T = 1_700_000_000_000L;
  private static final ScrapeSpec SPEC =
      new ScrapeSpec(
          "project",
          "target-1",
          "job-1",
          "node",
          "http://10.0.0.5:9100/metrics",
          "10.0.0.5:9100",
          15,
          10);

  private static SeriesKey key(String metric, String... labels) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      tags.put(labels[i], labels[i + 1]);
    }
    tags.put("job", "node");
    tags.put("instance", "10.0.0.5:9100");
    return SeriesKey.of("project", metric, tags);
  }

  private static Sample sample(String name, double value, String... labels) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return new Sample(name, map, value, OptionalLong.empty());
  }

  private static ScrapeOutcome.Scraped scraped(long start, Sample... samples) {
    return new ScrapeOutcome.Scraped(
        List.of(new MetricFamily("f", MetricType.GAUGE, "", "", List.of(samples))),
        samples.length,
        start,
        0.25);
  }

  private static Map<SeriesKey, SeriesSamples> byKey(ScrapedSamples.Batch batch) {
    return batch.series().stream()
        .collect(Collectors.toMap(SeriesSamples::key, Function.identity()));
  }

  private static void assertSingle(SeriesSamples series, long time, double value) {
    assertThat(series.timestamps()).containsExactly(time);
    assertThat(series.values()).containsExactly(value);
  }

  private static boolean isStale(SeriesSamples series) {
    return series.size() == 1
        && Double.doubleToRawLongBits(series.values()[0]) == 0x7ff0000000000002L;
  }

  @Test
  void samplesGetJobAndInstanceAndTheScrapeTime() {
    var batch =
        ScrapedSamples.of(
            SPEC, scraped(T, sample("node_load1", 0.5), sample("disk", 7, "dev", "sda")), Set.of());

    var series = byKey(batch);
    assertSingle(series.get(key("node_load1")), T, 0.5);
    assertSingle(series.get(key("disk", "dev", "sda")), T, 7);
  }

  @Test
  void exposedJobAndInstanceLabelsAreKeptAsExportedWithoutOverwritingExistingOnes() {
    var batch =
        ScrapedSamples.of(
            SPEC,
            scraped(
                T, sample("pushed", 1, "job", "batch", "instance", "h1", "exported_job", "older")),
            Set.of());

    assertThat(byKey(batch))
        .containsKey(
            key(
                "pushed",
                "exported_job",
                "older",
                "exported_exported_job",
                "batch",
                "exported_instance",
                "h1"));
  }

  @Test
  void emptyLabelValuesAreDropped() {
    var batch = ScrapedSamples.of(SPEC, scraped(T, sample("m", 1, "empty", "")), Set.of());

    assertThat(byKey(batch)).containsKey(key("m"));
  }

  @Test
  void explicitTimestampsAreHonouredAndNotTrackedForStaleness() {
    var stamped = new Sample("old", Map.of(), 3, OptionalLong.of(T - 60_000));
    var batch =
        ScrapedSamples.of(
            SPEC,
            new ScrapeOutcome.Scraped(
                List.of(new MetricFamily("old", MetricType.UNTYPED, "", "", List.of(stamped))),
                1,
                T,
                0.1),
            Set.of());

    assertSingle(byKey(batch).get(key("old")), T - 60_000, 3);
    assertThat(batch.tracked()).doesNotContain(key("old"));
  }

  @Test
  void aSuccessfulScrapeAddsUpAndTheScrapeSeries() {
    var batch =
        ScrapedSamples.of(
            SPEC, scraped(T, sample("a", 1), sample("b", 2)), Set.of(key("a"), key("gone")));

    var series = byKey(batch);
    assertSingle(series.get(key("up")), T, 1);
    assertSingle(series.get(key("scrape_duration_seconds")), T, 0.25);
    assertSingle(series.get(key("scrape_samples_scraped")), T, 2);
    assertSingle(series.get(key("scrape_samples_post_metric_relabeling")), T, 2);
    assertSingle(series.get(key("scrape_series_added")), T, 1);
    assertThat(batch.tracked())
        .containsExactlyInAnyOrder(
            key("a"),
            key("b"),
            key("up"),
            key("scrape_duration_seconds"),
            key("scrape_samples_scraped"),
            key("scrape_samples_post_metric_relabeling"),
            key("scrape_series_added"));
  }

  @Test
  void seriesMissingSinceThePreviousScrapeGetAStaleMarker() {
    var first = ScrapedSamples.of(SPEC, scraped(T, sample("a", 1), sample("b", 2)), Set.of());

    var second = ScrapedSamples.of(SPEC, scraped(T + 15_000, sample("a", 1)), first.tracked());

    var series = byKey(second);
    assertThat(series.get(key("b")).timestamps()).containsExactly(T + 15_000);
    assertThat(isStale(series.get(key("b")))).isTrue();
    assertThat(isStale(series.get(key("a")))).isFalse();
    assertThat(second.tracked()).doesNotContain(key("b"));
  }

  @Test
  void aFailedScrapeWritesUpZeroAndMarksEveryScrapedSeriesStale() {
    var first = ScrapedSamples.of(SPEC, scraped(T, sample("a", 1)), Set.of());
    var failure =
        new ScrapeOutcome.Failed(
            TargetHealth.CONNECTION_FAILED, "connection refused", 0, T + 15_000, 0.002);

    var second = ScrapedSamples.of(SPEC, failure, first.tracked());

    var series = byKey(second);
    assertSingle(series.get(key("up")), T + 15_000, 0);
    assertSingle(series.get(key("scrape_duration_seconds")), T + 15_000, 0.002);
    assertSingle(series.get(key("scrape_samples_scraped")), T + 15_000, 0);
    assertSingle(series.get(key("scrape_samples_post_metric_relabeling")), T + 15_000, 0);
    assertSingle(series.get(key("scrape_series_added")), T + 15_000, 0);
    assertThat(isStale(series.get(key("a")))).isTrue();
    assertThat(series).hasSize(6);
    assertThat(second.tracked()).doesNotContain(key("a")).contains(key("up"));
  }

  @Test
  void aRepeatedSeriesKeepsItsFirstSample() {
    var batch = ScrapedSamples.of(SPEC, scraped(T, sample("a", 1), sample("a", 2)), Set.of());

    assertSingle(byKey(batch).get(key("a")), T, 1);
  }

  @Test
  void explicitTimestampsOfOneSeriesAreStoredInOrder() {
    var late = new Sample("m", Map.of(), 2, OptionalLong.of(T - 1_000));
    var early = new Sample("m", Map.of(), 1, OptionalLong.of(T - 2_000));
    var batch =
        ScrapedSamples.of(
            SPEC,
            new ScrapeOutcome.Scraped(
                List.of(new MetricFamily("m", MetricType.UNTYPED, "", "", List.of(late, early))),
                2,
                T,
                0.1),
            Set.of());

    var series = byKey(batch).get(key("m"));
    assertThat(series.timestamps()).containsExactly(T - 2_000, T - 1_000);
    assertThat(series.values()).containsExactly(1, 2);
  }

  @Test
  void staleMarkersEndEverySeries() {
    var markers = ScrapedSamples.staleMarkers(Set.of(key("a"), key("up")), T);

    assertThat(markers).hasSize(2).allMatch(ScrapedSamplesTest::isStale);
    assertThat(markers).allMatch(m -> Arrays.equals(m.timestamps(), new long[] {T}));
  }
}
