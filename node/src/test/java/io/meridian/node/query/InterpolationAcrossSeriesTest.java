package io.meridian.node.query;

import static io.meridian.node.query.Fixtures.SECOND;
import static io.meridian.node.query.Fixtures.T0;
import static io.meridian.node.query.Fixtures.query;
import static io.meridian.node.query.Fixtures.seconds;
import static io.meridian.node.query.Fixtures.series;
import static io.meridian.node.query.Fixtures.tags;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesSamples;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two offset series of OpenTSDB's aggregators documentation: A has points at 10, 30 and 50 s, B
 * at 0, 20, 40 and 60 s.
 */
class InterpolationAcrossSeriesTest {

  private static final SeriesSamples A = series(tags("host", "a"), 10, 5, 30, 15, 50, 5);
  private static final SeriesSamples B = series(tags("host", "b"), 0, 10, 20, 20, 40, 10, 60, 20);

  private static QueryResult evaluate(String aggregator) {
    List<QueryResult> results =
        SubQueryEvaluator.evaluate(query(aggregator), List.of(A, B), T0, T0 + 60 * SECOND);
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  @Test
  void sumInterpolatesLinearlyOnlyInsideEachSeries() {
    QueryResult sum = evaluate("sum");
    assertThat(seconds(sum)).containsExactly(0, 10, 20, 30, 40, 50, 60);
    // 0 s: A has not started; 10 s: B lerps 10->20 to 15; 20 s: A lerps 5->15 to 10; ...
    // 60 s: A has ended.
    assertThat(sum.values()).containsExactly(10, 20, 30, 30, 20, 20, 20);
  }

  @Test
  void zimsumCountsMissingPointsAsZero() {
    assertThat(evaluate("zimsum").values()).containsExactly(10, 5, 20, 15, 10, 5, 20);
  }

  @Test
  void avgAndMaxInterpolateToo() {
    assertThat(evaluate("avg").values()).containsExactly(10, 10, 15, 15, 10, 10, 20);
    assertThat(evaluate("max").values()).containsExactly(10, 15, 20, 15, 10, 15, 20);
    assertThat(evaluate("min").values()).containsExactly(10, 5, 10, 15, 10, 5, 20);
  }

  @Test
  void mimminAndMimmaxIgnoreTheSeriesWithoutAPoint() {
    assertThat(evaluate("mimmin").values()).containsExactly(10, 5, 20, 15, 10, 5, 20);
    assertThat(evaluate("mimmax").values()).containsExactly(10, 5, 20, 15, 10, 5, 20);
  }

  @Test
  void mimmaxOfNegativeValuesIsNotSwampedByTheSubstitute() {
    SeriesSamples negA = series(tags("host", "a"), 10, -5, 30, -15);
    SeriesSamples negB = series(tags("host", "b"), 0, -10, 20, -20, 40, -10);
    QueryResult result =
        SubQueryEvaluator.evaluate(query("mimmax"), List.of(negA, negB), T0, T0 + 60 * SECOND)
            .get(0);
    assertThat(result.values()).containsExactly(-10, -5, -20, -15, -10);
  }

  @Test
  void countCountsEverySeriesSpanningTheTimestamp() {
    // Zero-if-missing: B spans 10 s so it counts there, A does not span 0 s or 60 s.
    assertThat(evaluate("count").values()).containsExactly(1, 2, 2, 2, 2, 2, 1);
  }

  @Test
  void multiplyInterpolates() {
    assertThat(evaluate("multiply").values()).containsExactly(10, 75, 200, 225, 100, 75, 20);
  }

  @Test
  void firstAndLastFollowTheSeriesOrder() {
    // Series are ordered by their tags: host=a before host=b; A contributes 0 where missing.
    assertThat(evaluate("first").values()).containsExactly(10, 5, 0, 15, 0, 5, 20);
    assertThat(evaluate("last").values()).containsExactly(10, 0, 20, 0, 10, 0, 20);
  }

  @Test
  void devAndPercentilesUseInterpolatedValues() {
    QueryResult dev = evaluate("dev");
    // 10 s: values 5 and 15 -> sample sd sqrt(50).
    assertThat(dev.values()[1]).isEqualTo(Math.sqrt(50));
    assertThat(dev.values()[0]).isZero();
    assertThat(evaluate("p50").values()).containsExactly(10, 10, 15, 15, 10, 10, 20);
  }

  @Test
  void rangeIsInclusiveAtBothEnds() {
    List<QueryResult> results =
        SubQueryEvaluator.evaluate(query("sum"), List.of(A, B), T0 + 10 * SECOND, T0 + 50 * SECOND);
    assertThat(seconds(results.get(0))).containsExactly(10, 20, 30, 40, 50);
    // B now starts at 20 s, so it does not take part at 10 s.
    assertThat(results.get(0).values()).containsExactly(5, 30, 30, 20, 5);
  }

  @Test
  void nanValuesAreSkipped() {
    SeriesSamples withNan = series(tags("host", "c"), 0, Double.NaN, 60, Double.NaN);
    QueryResult sum =
        SubQueryEvaluator.evaluate(query("sum"), List.of(A, B, withNan), T0, T0 + 60 * SECOND)
            .get(0);
    assertThat(sum.values()).containsExactly(10, 20, 30, 30, 20, 20, 20);
    QueryResult onlyNan =
        SubQueryEvaluator.evaluate(query("sum"), List.of(withNan), T0, T0 + 60 * SECOND).get(0);
    assertThat(onlyNan.values()).containsExactly(Double.NaN, Double.NaN);
  }
}
