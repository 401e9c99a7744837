package io.meridian.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OpenTSDB query semantics through HTTP on a real node persisting to the real Cassandra, against
 * values computed by hand from the OpenTSDB documentation: interpolation across series per
 * aggregator, downsampling bucket alignment and fill policies, rates of counters with resets, tag
 * filters and grouping.
 */
@ExtendWith(CassandraExtension.class)
class QuerySemanticsConformanceTest {

  /** A minute boundary, so 1m buckets start at T. */
  private static final long T = 1_700_000_040L;

  private static TestNode node;
  private static Http http;

  @BeforeAll
  static void writeFixtures() {
    CassandraServer cassandra = CassandraExtension.server();
    node = TestNode.start(cassandra, "conf_" + UUID.randomUUID().toString().replace("-", ""));
    http = new Http(node.url());
    List<String> points = new ArrayList<>();
    // Two series with interleaved timestamps: b has no point where a has one and vice versa.
    points.add(point("sem.lerp", T, "10", "host", "a"));
    points.add(point("sem.lerp", T + 20, "30", "host", "a"));
    points.add(point("sem.lerp", T + 40, "50", "host", "a"));
    points.add(point("sem.lerp", T + 10, "100", "host", "b"));
    points.add(point("sem.lerp", T + 30, "300", "host", "b"));
    // One series for downsampling: two points in the first minute, none in the third.
    points.add(point("sem.ds", T + 5, "1", "host", "a"));
    points.add(point("sem.ds", T + 15, "3", "host", "a"));
    points.add(point("sem.ds", T + 65, "10", "host", "a"));
    points.add(point("sem.ds", T + 185, "7", "host", "a"));
    // A counter that resets between T+10 and T+20.
    points.add(point("sem.rate", T, "100", "host", "a"));
    points.add(point("sem.rate", T + 10, "200", "host", "a"));
    points.add(point("sem.rate", T + 20, "50", "host", "a"));
    points.add(point("sem.rate", T + 30, "150", "host", "a"));
    // Four series for filters and grouping.
    points.add(point2("sem.filter", T, "1", "web01", "lga"));
    points.add(point2("sem.filter", T, "2", "web02", "lga"));
    points.add(point2("sem.filter", T, "4", "WEB03", "sjc"));
    points.add(point2("sem.filter", T, "8", "db01", "sjc"));
    // Two points within one second.
    points.add(point("sem.ms", T * 1000 + 250, "1", "host", "a"));
    points.add(point("sem.ms", T * 1000 + 750, "2", "host", "a"));
    var put = http.post("/api/put", "[" + String.join(",", points) + "]");
    assertThat(put.status()).as(put.body()).isEqualTo(204);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static String point(String metric, long ts, String value, String tagk, String tagv) {
    return String.format(
        "{\"metric\":\"%s\",\"timestamp\":%d,\"value\":%s,\"tags\":{\"%s\":\"%s\"}}",
        metric, ts, value, tagk, tagv);
  }

  private static String point2(String metric, long ts, String value, String host, String dc) {
    return String.format(
        "{\"metric\":\"%s\",\"timestamp\":%d,\"value\":%s,\"tags\":{\"host\":\"%s\",\"dc\":\"%s\"}}",
        metric, ts, value, host, dc);
  }

  private static JsonNode query(String m, long start, long end) {
    var response = http.get("/api/query?start=" + start + "&end=" + end + "&m=" + encode(m));
    assertThat(response.status()).as(m + ": " + response.body()).isEqualTo(200);
    return response.json();
  }

  private static String encode(String m) {
    return URLEncoder.encode(m, StandardCharsets.UTF_8);
  }

  /** The dps of the only result, as "offset-from-T=value" strings in time order. */
  private static List<String> dps(JsonNode results) {
    assertThat(results).as(results.toString()).hasSize(1);
    return dpsOf(results.get(0));
  }

  private static List<String> dpsOf(JsonNode result) {
    List<String> dps = new ArrayList<>();
    result
        .get("dps")
        .fields()
        .forEachRemaining(
            dp ->
                dps.add(
                    (Long.parseLong(dp.getKey()) - T)
                        + "="
                        + (dp.getValue().isNull() ? "null" : dp.getValue().asText())));
    return dps;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // LERP: a series contributes interpolated values between its own first and last points.
        "sum    | 0=10 10=120 20=230 30=340 40=50",
        "avg    | 0=10 10=60 20=115 30=170 40=50",
        "min    | 0=10 10=20 20=30 30=40 40=50",
        "max    | 0=10 10=100 20=200 30=300 40=50",
        // ZIM: a missing value counts as zero.
        "zimsum | 0=10 10=100 20=30 30=300 40=50",
        // mimmin/mimmax: a missing value never wins the minimum/maximum.
        "mimmin | 0=10 10=100 20=30 30=300 40=50",
        "mimmax | 0=10 10=100 20=30 30=300 40=50"
      })
  void aggregatorsInterpolateAcrossSeriesAsDocumented(String aggregator, String expected) {
    assertThat(dps(query(aggregator + ":sem.lerp", T, T + 100)))
        .containsExactly(expected.trim().split(" "));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Four aligned series with values 1, 2, 4 and 8.
        "count   | 4",
        "multiply | 64",
        // Percentiles as Commons Math computes them (OpenTSDB's implementation): legacy
        // estimation at rank p(n+1), R-7 at rank 1+p(n-1), linear between neighbours.
        "p50     | 3",
        "p75     | 7",
        "p99     | 8",
        "ep75r7  | 5"
      })
  void aggregatorsOverAlignedSeries(String aggregator, String expected) {
    assertThat(dps(query(aggregator.trim() + ":sem.filter", T, T + 10)))
        .containsExactly("0=" + expected.trim());
  }

  @Test
  void devIsTheSampleStandardDeviation() {
    JsonNode dev = query("dev:sem.filter", T, T + 10);

    // mean 3.75; squared deviations 7.5625 + 3.0625 + 0.0625 + 18.0625 = 28.75; / (n - 1)
    assertThat(dev.get(0).get("dps").get(Long.toString(T)).asDouble())
        .isCloseTo(Math.sqrt(28.75 / 3), offset(1e-9));
  }

  @Test
  void noneReturnsEverySeriesUnaggregated() {
    JsonNode results = query("none:sem.lerp", T, T + 100);

    assertThat(results).hasSize(2);
    assertThat(dpsOf(results.get(0))).containsExactly("0=10", "20=30", "40=50");
    assertThat(dpsOf(results.get(1))).containsExactly("10=100", "30=300");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sum:1m-sum:sem.ds         | 0=4 60=10 180=7",
        "sum:1m-max:sem.ds         | 0=3 60=10 180=7",
        "sum:1m-sum-zero:sem.ds    | 0=4 60=10 120=0 180=7",
        "sum:1m-avg-null:sem.ds    | 0=2 60=10 120=null 180=7",
        "sum:1m-count-nan:sem.ds   | 0=2 60=1 120=NaN 180=1",
        "sum:0all-sum:sem.ds       | 0=21",
        "sum:1m-first:sem.ds       | 0=1 60=10 180=7",
        "sum:1m-last:sem.ds        | 0=3 60=10 180=7",
        "sum:2m-sum:sem.ds         | 0=14 120=7"
      })
  void downsamplingAlignsBucketsToTheIntervalAndFills(String m, String expected) {
    assertThat(dps(query(m, T, T + 239))).containsExactly(expected.trim().split(" "));
  }

  @Test
  void ratesOfCountersHandleResetsAsConfigured() {
    assertThat(dps(query("sum:rate:sem.rate", T, T + 100)))
        .containsExactly("10=10", "20=-15", "30=10");
    assertThat(dps(query("sum:rate{counter,300}:sem.rate", T, T + 100)))
        .containsExactly("10=10", "20=15", "30=10");
    assertThat(dps(query("sum:rate{dropcounter}:sem.rate", T, T + 100)))
        .containsExactly("10=10", "30=10");
    var withReset =
        http.post(
            "/api/query",
            "{\"start\":"
                + T
                + ",\"end\":"
                + (T + 100)
                + ",\"queries\":[{\"aggregator\":\"sum\",\"metric\":\"sem.rate\",\"rate\":true,"
                + "\"rateOptions\":{\"counter\":true,\"resetValue\":1000}}]}");
    assertThat(dps(withReset.json())).containsExactly("10=10", "20=0", "30=10");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "literal_or(web01|web02)  ; 3",
        "iliteral_or(web03)       ; 4",
        "not_literal_or(web01)    ; 14",
        "not_iliteral_or(WEB01|web02) ; 12",
        "wildcard(web*)           ; 3",
        "iwildcard(web*)          ; 7",
        "regexp(^web0[12]$)       ; 3"
      })
  void tagFiltersSelectSeries(String filter, String sum) {
    assertThat(dps(query("sum:sem.filter{}{host=" + filter.trim() + "}", T, T + 10)))
        .containsExactly("0=" + sum.trim());
  }

  @Test
  void groupByGivesOneResultPerTagValueWithCommonAndAggregatedTags() {
    JsonNode results = query("sum:sem.filter{dc=*}", T, T + 10);

    Map<String, String> byDc = new LinkedHashMap<>();
    for (JsonNode result : results) {
      byDc.put(result.get("tags").get("dc").asText(), dpsOf(result).get(0));
      assertThat(result.get("aggregateTags")).extracting(JsonNode::asText).containsExactly("host");
    }
    assertThat(byDc).containsExactly(Map.entry("lga", "0=3"), Map.entry("sjc", "0=12"));
  }

  @Test
  void explicitTagsRequireExactlyTheFilteredTagKeys() {
    var exact =
        http.get(
            "/api/query?start="
                + T
                + "&end="
                + (T + 10)
                + "&m=sum:explicit_tags:sem.filter%7Bhost=*,dc=*%7D");
    var missingDc =
        http.get(
            "/api/query?start="
                + T
                + "&end="
                + (T + 10)
                + "&m=sum:explicit_tags:sem.filter%7Bhost=*%7D");

    assertThat(exact.json()).hasSize(4);
    assertThat(missingDc.status()).isEqualTo(200);
    assertThat(missingDc.json()).isEmpty();
  }

  @Test
  void millisecondResolutionKeepsPointsWithinASecondApart() {
    JsonNode seconds = query("sum:sem.ms", T, T + 10);
    var ms = http.get("/api/query?start=" + T + "&end=" + (T + 10) + "&ms&m=sum:sem.ms").json();

    assertThat(dps(seconds)).containsExactly("0=3");
    assertThat(ms.get(0).get("dps").size()).isEqualTo(2);
    assertThat(ms.get(0).get("dps").get(Long.toString(T * 1000 + 250)).asInt()).isEqualTo(1);
  }
}
