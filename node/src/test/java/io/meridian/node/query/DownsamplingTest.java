package io.meridian.node.query;

import static io.meridian.node.query.Fixtures.SECOND;
import static io.meridian.node.query.Fixtures.T0;
import static io.meridian.node.query.Fixtures.query;
import static io.meridian.node.query.Fixtures.seconds;
import static io.meridian.node.query.Fixtures.series;
import static io.meridian.node.query.Fixtures.tags;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.Downsample;
import io.meridian.protocol.opentsdb.SubQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownsamplingTest {

  /** Series A and B of OpenTSDB's downsampling documentation: a value every 10 s for 70 s. */
  private static final SeriesSamples A =
      series(tags("host", "a"), 0, 5, 10, 5, 20, 10, 30, 15, 40, 20, 50, 5, 60, 1);

  private static final SeriesSamples B =
      series(tags("host", "b"), 0, 10, 10, 5, 20, 20, 30, 15, 40, 10, 50, 0, 60, 5);

  private static List<QueryResult> evaluate(
      SubQuery q, List<SeriesSamples> series, long startSeconds, long endSeconds) {
    return SubQueryEvaluator.evaluate(
        q, series, T0 + startSeconds * SECOND, T0 + endSeconds * SECOND);
  }

  @Test
  void bucketsAreAlignedOnTheIntervalAndMergedBeforeGrouping() {
    QueryResult onlyA = evaluate(query("sum", "30s-sum"), List.of(A), 0, 70).get(0);
    assertThat(seconds(onlyA)).containsExactly(0, 30, 60);
    assertThat(onlyA.values()).containsExactly(20, 40, 1);

    QueryResult both = evaluate(query("sum", "30s-sum"), List.of(A, B), 0, 70).get(0);
    assertThat(both.values()).containsExactly(55, 65, 6);
  }

  @Test
  void theDownsamplingFunctionIsIndependentOfTheAggregator() {
    QueryResult result = evaluate(query("max", "30s-avg"), List.of(A, B), 0, 70).get(0);
    // A averages 20/3, 40/3, 1; B 35/3, 25/3, 5; max across the two.
    assertThat(result.values()).containsExactly(35.0 / 3, 40.0 / 3, 5);
  }

  @Test
  void aBucketStartingBeforeTheQueryStartIsDropped() {
    QueryResult result = evaluate(query("sum", "30s-sum"), List.of(A), 15, 70).get(0);
    assertThat(seconds(result)).containsExactly(30, 60);
  }

  @Test
  void theLastBucketKeepsPointsAfterTheEnd() {
    // The bucket at 30 s starts before the end (45 s), so it holds all of 30, 40 and 50 s.
    QueryResult result = evaluate(query("sum", "30s-sum"), List.of(A), 0, 45).get(0);
    assertThat(seconds(result)).containsExactly(0, 30);
    assertThat(result.values()).containsExactly(20, 40);
  }

  @Test
  void scanRangeCoversTheWholeLastBucket() {
    SubQuery q = query("sum", "30s-sum");
    assertThat(SubQueryEvaluator.scanRange(q, T0, T0 + 45 * SECOND, true))
        .containsExactly(T0, T0 + 60 * SECOND - 1);
    assertThat(SubQueryEvaluator.scanRange(query("sum"), T0, T0 + 45 * SECOND, true))
        .containsExactly(T0, T0 + 45 * SECOND);
  }

  // The fill policy example of OpenTSDB's documentation: 10s-sum-<fill> over 0..60 s.
  private static final SeriesSamples SPARSE_A = series(tags("host", "a"), 30, 15, 50, 5);
  private static final SeriesSamples SPARSE_B = series(tags("host", "b"), 0, 10, 20, 20, 60, 20);

  @Test
  void nanFillEmitsNanForEmptyBucketsAndAggregationSkipsThem() {
    List<QueryResult> perSeries =
        evaluate(query("none", "10s-sum-nan"), List.of(SPARSE_A, SPARSE_B), 0, 60);
    assertThat(perSeries.get(0).values())
        .containsExactly(Double.NaN, Double.NaN, Double.NaN, 15, Double.NaN, 5, Double.NaN);
    assertThat(perSeries.get(1).values())
        .containsExactly(10, Double.NaN, 20, Double.NaN, Double.NaN, Double.NaN, 20);

    QueryResult sum =
        evaluate(query("sum", "10s-sum-nan"), List.of(SPARSE_A, SPARSE_B), 0, 60).get(0);
    assertThat(seconds(sum)).containsExactly(0, 10, 20, 30, 40, 50, 60);
    assertThat(sum.values()).containsExactly(10, Double.NaN, 20, 15, Double.NaN, 5, 20);
    assertThat(sum.nullFill()).isFalse();
  }

  @Test
  void nullFillIsNanFlaggedForTheSerializer() {
    QueryResult sum =
        evaluate(query("sum", "10s-sum-null"), List.of(SPARSE_A, SPARSE_B), 0, 60).get(0);
    assertThat(sum.values()).containsExactly(10, Double.NaN, 20, 15, Double.NaN, 5, 20);
    assertThat(sum.nullFill()).isTrue();
  }

  @Test
  void zeroFillTakesPartInTheAggregate() {
    QueryResult sum =
        evaluate(query("sum", "10s-sum-zero"), List.of(SPARSE_A, SPARSE_B), 0, 60).get(0);
    assertThat(sum.values()).containsExactly(10, 0, 20, 15, 0, 5, 20);
    QueryResult avg =
        evaluate(query("avg", "10s-sum-zero"), List.of(SPARSE_A, SPARSE_B), 0, 60).get(0);
    assertThat(avg.values()).containsExactly(5, 0, 10, 7.5, 0, 2.5, 10);
  }

  @Test
  void noFillInterpolatesInstead() {
    QueryResult sum = evaluate(query("sum", "10s-sum"), List.of(SPARSE_A, SPARSE_B), 0, 60).get(0);
    assertThat(seconds(sum)).containsExactly(0, 20, 30, 50, 60);
    // B is interpolated to 20 at 30 and 50 s; A only spans 30..50 s.
    assertThat(sum.values()).containsExactly(10, 20, 35, 25, 20);
  }

  @Test
  void fillCoversTheWholeRangeEvenBeforeTheFirstAndAfterTheLastPoint() {
    QueryResult result = evaluate(query("sum", "10s-count-zero"), List.of(SPARSE_A), 15, 75).get(0);
    assertThat(seconds(result)).containsExactly(20, 30, 40, 50, 60, 70);
    assertThat(result.values()).containsExactly(0, 1, 0, 1, 0, 0);
  }

  @Test
  void allMakesOneBucketAtTheStart() {
    QueryResult result = evaluate(query("sum", "0all-sum"), List.of(A, B), 5, 60).get(0);
    assertThat(seconds(result)).containsExactly(5);
    // 10..50 s; the end is exclusive for "all".
    assertThat(result.values()).containsExactly(5 + 10 + 15 + 20 + 5 + 5 + 20 + 15 + 10 + 0);
    assertThat(evaluate(query("sum", "0all-count"), List.of(A), 61, 70)).isEmpty();
  }

  @Test
  void implicitOneSecondDownsamplingWithoutMillisecondResolution() {
    SeriesSamples ms = series(tags("host", "a"), 1.1, 1, 1.9, 2, 2.5, 4);
    QueryResult seconds =
        SubQueryEvaluator.evaluate(query("sum"), List.of(ms), T0, T0 + 10 * SECOND, false).get(0);
    assertThat(seconds.timestamps()).containsExactly(T0 + 1000, T0 + 2000);
    assertThat(seconds.values()).containsExactly(3, 4);

    QueryResult millis =
        SubQueryEvaluator.evaluate(query("sum"), List.of(ms), T0, T0 + 10 * SECOND, true).get(0);
    assertThat(millis.timestamps()).containsExactly(T0 + 1100, T0 + 1900, T0 + 2500);
  }

  @Test
  void calendarDaysFollowTheTimezone() {
    // Tokyo is UTC+9: its days start at 15:00 UTC.
    long jan2Tokyo = Instant.parse("2024-01-01T15:00:00Z").toEpochMilli();
    long jan3Tokyo = Instant.parse("2024-01-02T15:00:00Z").toEpochMilli();
    SeriesSamples s =
        new SeriesSamples(
            SeriesKey.of("t", "m", Map.of()),
            new long[] {
              Instant.parse("2024-01-01T16:00:00Z").toEpochMilli(),
              Instant.parse("2024-01-02T14:00:00Z").toEpochMilli(),
              Instant.parse("2024-01-02T15:30:00Z").toEpochMilli()
            },
            new double[] {1, 2, 4});
    SubQuery q =
        new SubQuery(
            0,
            "sum",
            "m",
            List.of(),
            Downsample.parse("1dc-sum", false, "Asia/Tokyo"),
            false,
            null,
            false);
    QueryResult result =
        SubQueryEvaluator.evaluate(
                q, List.of(s), jan2Tokyo, Instant.parse("2024-01-03T00:00:00Z").toEpochMilli())
            .get(0);
    assertThat(result.timestamps()).containsExactly(jan2Tokyo, jan3Tokyo);
    assertThat(result.values()).containsExactly(3, 4);
  }

  @Test
  void calendarMonthsHaveTheirRealLength() {
    long jan1 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    long feb1 = Instant.parse("2024-02-01T00:00:00Z").toEpochMilli();
    long mar1 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    SeriesSamples s =
        new SeriesSamples(
            SeriesKey.of("t", "m", Map.of()),
            new long[] {
              Instant.parse("2024-01-15T00:00:00Z").toEpochMilli(),
              Instant.parse("2024-01-31T23:00:00Z").toEpochMilli(),
              feb1,
              Instant.parse("2024-02-29T12:00:00Z").toEpochMilli()
            },
            new double[] {1, 2, 4, 8});
    QueryResult calendar =
        SubQueryEvaluator.evaluate(query("sum", "1nc-sum"), List.of(s), jan1, mar1 - 1).get(0);
    assertThat(calendar.timestamps()).containsExactly(jan1, feb1);
    assertThat(calendar.values()).containsExactly(3, 12);

    // Without the calendar a month is 30 days from the epoch.
    QueryResult epoch =
        SubQueryEvaluator.evaluate(query("sum", "1n-sum"), List.of(s), jan1, mar1 - 1).get(0);
    for (long t : epoch.timestamps()) {
      assertThat(t % (30 * 86_400_000L)).isZero();
    }
  }

  @Test
  void calendarHoursSnapToTheDay() {
    long day = Instant.parse("2024-06-10T00:00:00Z").toEpochMilli();
    SeriesSamples s =
        new SeriesSamples(
            SeriesKey.of("t", "m", Map.of()),
            new long[] {day + 3_600_000L * 7, day + 3_600_000L * 13},
            new double[] {1, 2});
    QueryResult result =
        SubQueryEvaluator.evaluate(
                query("sum", "6hc-sum"), List.of(s), day + 1, day + 86_400_000L - 1)
            .get(0);
    assertThat(result.timestamps()).containsExactly(day + 3_600_000L * 6, day + 3_600_000L * 12);
  }
}
