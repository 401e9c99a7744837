package io.meridian.node.query;

import static io.meridian.node.query.Fixtures.SECOND;
import static io.meridian.node.query.Fixtures.T0;
import static io.meridian.node.query.Fixtures.rateQuery;
import static io.meridian.node.query.Fixtures.seconds;
import static io.meridian.node.query.Fixtures.series;
import static io.meridian.node.query.Fixtures.tags;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.Downsample;
import io.meridian.protocol.opentsdb.RateOptions;
import io.meridian.protocol.opentsdb.SubQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateConversionTest {

  private static QueryResult single(SubQuery q, SeriesSamples s) {
    List<QueryResult> results = SubQueryEvaluator.evaluate(q, List.of(s), T0, T0 + 600 * SECOND);
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  @Test
  void rateIsPerSecondAndStartsAtTheSecondPoint() {
    QueryResult r =
        single(rateQuery("sum", RateOptions.DEFAULT), series(tags(), 0, 0, 10, 100, 20, 300));
    assertThat(seconds(r)).containsExactly(10, 20);
    assertThat(r.values()).containsExactly(10, 20);
  }

  @Test
  void millisecondSpacingGivesPerSecondRates() {
    QueryResult r = single(rateQuery("sum", RateOptions.DEFAULT), series(tags(), 0, 0, 0.5, 1));
    assertThat(r.values()).containsExactly(2);
  }

  @Test
  void aDecreaseIsANegativeRateUnlessCounting() {
    QueryResult r = single(rateQuery("sum", RateOptions.DEFAULT), series(tags(), 0, 100, 10, 50));
    assertThat(r.values()).containsExactly(-5);
  }

  @Test
  void counterRollsOverAtCounterMax() {
    RateOptions counter = new RateOptions(true, 100, 0, false);
    QueryResult r = single(rateQuery("sum", counter), series(tags(), 0, 90, 10, 10, 20, 30));
    // (100 - 90 + 10) / 10 s, then a normal increase.
    assertThat(r.values()).containsExactly(2, 2);
  }

  @Test
  void rollOverAboveTheResetValueIsAResetAndYieldsZero() {
    RateOptions counter = new RateOptions(true, Long.MAX_VALUE, 1000, false);
    QueryResult r = single(rateQuery("sum", counter), series(tags(), 0, 1000, 10, 5, 20, 105));
    assertThat(r.values()).containsExactly(0, 10);
  }

  @Test
  void rollOverBelowTheResetValueIsKept() {
    RateOptions counter = new RateOptions(true, 1000, 500, false);
    QueryResult r = single(rateQuery("sum", counter), series(tags(), 0, 990, 10, 10));
    assertThat(r.values()).containsExactly(2);
  }

  @Test
  void dropResetsRemovesTheRateAtADecrease() {
    RateOptions drop = new RateOptions(true, Long.MAX_VALUE, 0, true);
    QueryResult r = single(rateQuery("sum", drop), series(tags(), 0, 10, 10, 20, 20, 5, 30, 15));
    assertThat(seconds(r)).containsExactly(10, 30);
    assertThat(r.values()).containsExactly(1, 1);
  }

  @Test
  void rateIsTakenAfterDownsampling() {
    SubQuery q =
        new SubQuery(
            0,
            "sum",
            "m",
            List.of(),
            Downsample.parse("20s-sum"),
            true,
            RateOptions.DEFAULT,
            false);
    QueryResult r = single(q, series(tags(), 0, 1, 10, 1, 20, 5, 30, 5, 40, 0));
    // Buckets 0: 2, 20: 10, 40: 0.
    assertThat(seconds(r)).containsExactly(20, 40);
    assertThat(r.values()).containsExactly(0.4, -0.5);
  }

  @Test
  void ratesOfSeveralSeriesUseThePreviousRateInsteadOfInterpolating() {
    SeriesSamples a = series(tags("host", "a"), 0, 0, 10, 10, 20, 30, 30, 60);
    SeriesSamples b = series(tags("host", "b"), 5, 0, 15, 100, 25, 300);
    QueryResult sum =
        SubQueryEvaluator.evaluate(
                rateQuery("sum", RateOptions.DEFAULT), List.of(a, b), T0, T0 + 60 * SECOND)
            .get(0);
    // Rates: a 1@10, 2@20, 3@30; b 10@15, 20@25.
    assertThat(seconds(sum)).containsExactly(10, 15, 20, 25, 30);
    assertThat(sum.values()).containsExactly(1, 11, 12, 22, 3);

    QueryResult zimsum =
        SubQueryEvaluator.evaluate(
                rateQuery("zimsum", RateOptions.DEFAULT), List.of(a, b), T0, T0 + 60 * SECOND)
            .get(0);
    assertThat(zimsum.values()).containsExactly(1, 11, 12, 22, 3);
  }

  @Test
  void aSeriesWithOnePointHasNoRate() {
    assertThat(
            SubQueryEvaluator.evaluate(
                rateQuery("sum", RateOptions.DEFAULT),
                List.of(series(tags(), 0, 5)),
                T0,
                T0 + SECOND))
        .isEmpty();
  }
}
