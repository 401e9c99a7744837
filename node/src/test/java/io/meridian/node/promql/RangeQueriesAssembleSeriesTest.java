package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.assertSeries;
import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.minus;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.num;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.protocol.promql.Function.RATE;
import static io.meridian.protocol.promql.Function.TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.protocol.promql.Expr;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Range queries evaluate at each step and assemble one series per label set, as Prometheus. */
class RangeQueriesAssembleSeriesTest {

  private static InMemorySeriesSource counters() {
    return new InMemorySeriesSource()
        .load(ms("1m"), "requests{job=\"a\"}", "0+60x10")
        .load(ms("1m"), "requests{job=\"b\"}", "_x5 0+120x5");
  }

  @Test
  void eachLabelSetBecomesOneSeriesSortedByLabels() {
    Value.Matrix matrix =
        Fixtures.range(counters(), call(RATE, range(sel("requests"), "2m")), "2m", "8m", "2m");
    assertThat(matrix.series()).hasSize(2);
    assertSeries(matrix.series().get(0), "{job=\"a\"}", "2m", 1, "4m", 1, "6m", 1, "8m", 1);
    // job b starts from 0 at 5m: at 6m the zero point stops extrapolation before 5m.
    assertSeries(matrix.series().get(1), "{job=\"b\"}", "6m", 1, "8m", 2);
  }

  @Test
  void aScalarBecomesOneSeriesWithoutLabels() {
    Value.Matrix matrix = Fixtures.range(counters(), call(TIME), "0s", "20s", "10s");
    assertSeries(matrix.series().get(0), "{}", "0s", 0, "10s", 10, "20s", 20);
    Value.Matrix literal = Fixtures.range(counters(), num(7), "0s", "10s", "10s");
    assertSeries(literal.series().get(0), "{}", "0s", 7, "10s", 7);
  }

  @Test
  void theLastStepIsAtOrBeforeTheEnd() {
    Value.Matrix matrix =
        Fixtures.range(counters(), sel("requests{job=\"a\"}"), "0s", "150s", "1m");
    assertSeries(matrix.series().get(0), "requests{job=\"a\"}", "0s", 0, "1m", 60, "2m", 120);
  }

  @Test
  void twoSeriesWithOneLabelSetAtAStepFail() {
    InMemorySeriesSource source =
        new InMemorySeriesSource()
            .load(ms("1m"), "a{job=\"x\"}", "1 2")
            .load(ms("1m"), "b{job=\"x\"}", "1 2");
    Expr negated = minus(sel("{__name__=~\"a|b\"}"));
    assertThatThrownBy(() -> Fixtures.range(source, negated, "0s", "1m", "1m"))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(PromQlException.class)
        .hasMessage("vector cannot contain metrics with the same labelset");
  }

  @Test
  void aRangeVectorCannotBeARangeQuery() {
    assertThatThrownBy(
            () -> Fixtures.range(counters(), range(sel("requests"), "1m"), "0s", "1m", "1m"))
        .cause()
        .isInstanceOf(PromQlException.class)
        .hasMessage(
            "invalid expression type \"range vector\" for range query, must be Scalar or instant"
                + " Vector")
        .extracting(e -> ((PromQlException) e).kind())
        .isEqualTo(PromQlException.Kind.BAD_DATA);
  }
}
