package io.meridian.protocol.opentsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** TSUID sub queries ({@code tsuid=} and JSON {@code tsuids}) and the TSUID text form. */
class TsuidQueryParsingTest {

  private static final long NOW = 1_700_000_000_000L;

  @Test
  void queryStringTsuidQueriesComeFirstAndCarryDownsamplerAndRate() {
    TsdbQuery q =
        QueryParser.fromQueryString(
            Map.of(
                "start", List.of("1h-ago"),
                "m", List.of("sum:sys.cpu"),
                "tsuid", List.of("avg:1m-max:rate:000001000001000001,000001000001000002")),
            NOW);

    assertThat(q.queries()).hasSize(2);
    SubQuery byTsuid = q.queries().get(0);
    assertThat(byTsuid.index()).isZero();
    assertThat(byTsuid.byTsuids()).isTrue();
    assertThat(byTsuid.metric()).isNull();
    assertThat(byTsuid.aggregator()).isEqualTo("avg");
    assertThat(byTsuid.downsample().spec()).isEqualTo("1m-max");
    assertThat(byTsuid.rate()).isTrue();
    assertThat(byTsuid.tsuids()).containsExactly("000001000001000001", "000001000001000002");
    assertThat(q.queries().get(1).metric()).isEqualTo("sys.cpu");
    assertThat(q.queries().get(1).byTsuids()).isFalse();
  }

  @Test
  void tsuidsParameterIsAcceptedAndTsuidsAreUpperCased() {
    TsdbQuery q =
        QueryParser.fromQueryString(
            Map.of("start", List.of("1h-ago"), "tsuids", List.of("sum:00000a00000b00000c")), NOW);

    assertThat(q.queries().get(0).tsuids()).containsExactly("00000A00000B00000C");
  }

  @Test
  void jsonTsuidsTakePrecedenceOverMetricAndTags() throws Exception {
    TsdbQuery q =
        QueryParser.fromJson(
            new ObjectMapper()
                .readTree(
                    "{\"start\":\"1h-ago\",\"queries\":[{\"aggregator\":\"sum\",\"metric\":\"x\","
                        + "\"tags\":{\"host\":\"*\"},\"tsuids\":[\"000001000001000001\"]}]}"),
            NOW);

    SubQuery sub = q.queries().get(0);
    assertThat(sub.metric()).isNull();
    assertThat(sub.filters()).isEmpty();
    assertThat(sub.tsuids()).containsExactly("000001000001000001");
    assertThat(sub.withMetric("sys.cpu").metric()).isEqualTo("sys.cpu");
  }

  @Test
  void invalidTsuidQueriesAreRejected() {
    assertThatThrownBy(() -> QueryParser.parseTsuidQuery("sum", 0, false, null))
        .hasMessage("Invalid parameter tsuid=sum (not enough :-separated parts)");
    assertThatThrownBy(() -> QueryParser.parseTsuidQuery("sum:", 0, false, null))
        .hasMessage("Missing the metric or tsuids, provide at least one");
    assertThatThrownBy(() -> QueryParser.parseTsuidQuery("sum:00000G", 0, false, null))
        .hasMessage("Invalid TSUID '00000G': not hexadecimal");
    assertThatThrownBy(() -> QueryParser.parseTsuidQuery("sum:000001000001,000002", 0, false, null))
        .hasMessageStartingWith("Invalid TSUID '000001000001'");
    assertThatThrownBy(
            () ->
                QueryParser.parseTsuidQuery(
                    "sum:000001000001000001,000002000001000001", 0, false, null))
        .hasMessage("One or more TSUIDs did not share the same metric");
  }

  @Test
  void tsuidsFormatAndParseAsOpenTsdbDoes() {
    assertThat(Tsuids.uidToString(42)).isEqualTo("00002A");
    assertThat(Tsuids.parseUid("2a")).isEqualTo(42);
    assertThat(Tsuids.format(1, new TreeMap<>(Map.of(3, 4, 2, 5))))
        .isEqualTo("000001" + "000002000005" + "000003000004");
    assertThat(Tsuids.parse("000001000002000005")).containsExactly(1, 2, 5);
    assertThat(Tsuids.metricUid("00000a000002000005")).isEqualTo("00000A");
    assertThatThrownBy(() -> Tsuids.parseUid("1000000")).hasMessageContaining("Invalid UID");
    assertThatThrownBy(() -> Tsuids.uidToString(Tsuids.MAX_UID + 1))
        .hasMessageContaining("out of range");
  }
}
