package io.meridian.node.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meridian.protocol.opentsdb.QueryParser;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class AggregatorFunctionsTest {

  private static final double[] ONE_TO_FOUR = {1, 2, 3, 4};
  private static final double[] ONE_TO_TEN = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};

  private static double run(String name, double... values) {
    return Aggregators.get(name).aggregate(values, values.length);
  }

  @Test
  void registryImplementsExactlyTheNamesTheParserAccepts() {
    assertThat(Aggregators.names()).isEqualTo(QueryParser.AGGREGATORS);
    for (String name : Aggregators.names()) {
      assertThat(Aggregators.get(name).name()).isEqualTo(name);
    }
    assertThatThrownBy(() -> Aggregators.get("median"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("No such aggregator: median");
  }

  @Test
  void interpolationMatchesOpenTsdb() {
    for (String lerp :
        new String[] {"sum", "avg", "min", "max", "dev", "multiply", "p50", "p999", "ep90r3"}) {
      assertThat(Aggregators.get(lerp).interpolation()).as(lerp).isEqualTo(Interpolation.LERP);
    }
    for (String zim : new String[] {"zimsum", "count", "first", "last", "none"}) {
      assertThat(Aggregators.get(zim).interpolation()).as(zim).isEqualTo(Interpolation.ZIM);
    }
    assertThat(Aggregators.get("mimmin").interpolation()).isEqualTo(Interpolation.MAX);
    assertThat(Aggregators.get("mimmax").interpolation()).isEqualTo(Interpolation.MIN);
  }

  @Test
  void arithmeticAggregators() {
    assertThat(run("sum", ONE_TO_FOUR)).isEqualTo(10);
    assertThat(run("zimsum", ONE_TO_FOUR)).isEqualTo(10);
    assertThat(run("avg", ONE_TO_FOUR)).isEqualTo(2.5);
    assertThat(run("multiply", ONE_TO_FOUR)).isEqualTo(24);
    assertThat(run("count", ONE_TO_FOUR)).isEqualTo(4);
  }

  @Test
  void extremes() {
    assertThat(run("min", 3, -1, 2)).isEqualTo(-1);
    assertThat(run("mimmin", 3, -1, 2)).isEqualTo(-1);
    assertThat(run("max", 3, -1, 2)).isEqualTo(3);
    assertThat(run("mimmax", -3, -1, -2)).isEqualTo(-1);
  }

  @Test
  void firstAndLastKeepOrder() {
    assertThat(run("first", 7, 1, 9)).isEqualTo(7);
    assertThat(run("last", 7, 1, 9)).isEqualTo(9);
  }

  @Test
  void devIsTheSampleStandardDeviation() {
    // Mean 5, squared deviations sum to 32, n - 1 = 7.
    assertThat(run("dev", 2, 4, 4, 4, 5, 5, 7, 9)).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
    assertThat(run("dev", 42)).isZero();
  }

  @Test
  void percentilesUseCommonsMathEstimations() {
    assertThat(run("p50", ONE_TO_FOUR)).isEqualTo(2.5);
    assertThat(run("p75", ONE_TO_FOUR)).isEqualTo(3.75);
    assertThat(run("p90", ONE_TO_TEN)).isCloseTo(9.9, within(1e-12));
    assertThat(run("p95", ONE_TO_TEN)).isEqualTo(10);
    assertThat(run("p99", ONE_TO_TEN)).isEqualTo(10);
    assertThat(run("p999", ONE_TO_TEN)).isEqualTo(10);
    assertThat(run("ep90r7", ONE_TO_TEN)).isCloseTo(9.1, within(1e-12));
    assertThat(run("ep50r7", ONE_TO_FOUR)).isEqualTo(2.5);
    assertThat(run("ep90r3", ONE_TO_TEN)).isEqualTo(9);
    assertThat(run("ep50r3", ONE_TO_FOUR)).isEqualTo(2);
    assertThat(run("p99", 5)).isEqualTo(5);
  }

  @Test
  void aggregatorsDoNotModifyTheirInput() {
    double[] values = {3, 1, 2};
    Aggregators.get("p50").aggregate(values, 3);
    assertThat(values).containsExactly(3, 1, 2);
  }

  @Test
  void noneCannotAggregate() {
    assertThatThrownBy(() -> run("none", 1, 2)).isInstanceOf(UnsupportedOperationException.class);
  }
}
