package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.NodeUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /api/query/exp} over real HTTP, with results computed by hand from this data:
 *
 * <pre>
 *            t0   t0+60  t0+120
 * exp.a web01  1     2      3
 * exp.a web02 10    20     30
 * exp.b web01  2     2      0
 * exp.b web03  5     5      5
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpressionQueryTest {

  private static final long T0 = 1_700_000_000L;
  private static final long MS0 = T0 * 1000;

  private static NodeUnderTest node;

  /** The node the tests run against; the ops module overrides this with a node on Cassandra. */
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return InMemoryNode.start(name, extraConfig);
  }

  @BeforeAll
  void start() {
    node = startNode("ExpressionQueryTest", "");
    StringBuilder points = new StringBuilder("[");
    addSeries(points, "exp.a", "web01", 1, 2, 3);
    addSeries(points, "exp.a", "web02", 10, 20, 30);
    addSeries(points, "exp.b", "web01", 2, 2, 0);
    addSeries(points, "exp.b", "web03", 5, 5, 5);
    points.setLength(points.length() - 2);
    var put = node.send("POST", "/api/put", points.append(']').toString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static void addSeries(StringBuilder out, String metric, String host, int... values) {
    for (int i = 0; i < values.length; i++) {
      out.append(
              String.format(
                  "{\"metric\":\"%s\",\"timestamp\":%d,\"value\":%d,"
                      + "\"tags\":{\"host\":\"%s\",\"dc\":\"lga\"}},",
                  metric, T0 + 60L * i, values[i], host))
          .append('\n');
    }
  }

  /** A request over a and b grouped by host, with the given expressions (and more sections). */
  private static String request(String expressions, String... more) {
    String body =
        "{'time':{'start':"
            + (T0 - 600)
            + ",'end':"
            + (T0 + 600)
            + ",'aggregator':'sum'},"
            + "'filters':[{'id':'f1','tags':[{'type':'wildcard','tagk':'host','filter':'*',"
            + "'groupBy':true}]}],"
            + "'metrics':[{'id':'a','metric':'exp.a','filter':'f1'},"
            + "{'id':'b','metric':'exp.b','filter':'f1'}],"
            + "'expressions':["
            + expressions
            + "]"
            + (more.length == 0 ? "" : "," + String.join(",", more))
            + "}";
    return body.replace('\'', '"');
  }

  private static JsonNode post(String body) {
    var response = node.send("POST", "/api/query/exp", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static String error(String body) {
    var response = node.send("POST", "/api/query/exp", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return json(response).get("error").get("message").asText();
  }

  /** The dps of an output as text, e.g. {@code [[1700000000000,3],…]}. */
  private static String dps(JsonNode output) {
    return output.get("dps").toString();
  }

  private static String rows(String... rows) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < rows.length; i++) {
      sb.append(i == 0 ? "" : ",").append('[').append(MS0 + 60_000L * i).append(',');
      sb.append(rows[i]).append(']');
    }
    return sb.append(']').toString();
  }

  @Test
  void sumWithIntersectionJoinsTheHostsBothMetricsHave() {
    JsonNode response =
        post(request("{'id':'e','expr':'a + b','join':{'operator':'intersection'}}"));

    JsonNode output = response.get("outputs").get(0);
    assertThat(response.get("outputs")).hasSize(1);
    assertThat(output.get("id").asText()).isEqualTo("e");
    assertThat(dps(output)).isEqualTo(rows("3", "4", "3"));
    JsonNode meta = output.get("dpsMeta");
    assertThat(meta.get("firstTimestamp").asLong()).isEqualTo(MS0);
    assertThat(meta.get("lastTimestamp").asLong()).isEqualTo(MS0 + 120_000);
    assertThat(meta.get("setCount").asInt()).isEqualTo(3);
    assertThat(meta.get("series").asInt()).isEqualTo(1);
    assertThat(output.get("meta").toString())
        .isEqualTo(
            "[{\"index\":0,\"metrics\":[\"timestamp\"]},"
                + "{\"index\":1,\"metrics\":[\"exp.a\",\"exp.b\"],"
                + "\"commonTags\":{\"dc\":\"lga\",\"host\":\"web01\"},\"aggregatedTags\":[],"
                + "\"dps\":3}]");
    assertThat(response.get("query").get("expressions").get(0).get("expr").asText())
        .isEqualTo("a + b");
  }

  @Test
  void unionIsTheDefaultAndFillsMissingHostsWithTheMetricFill() {
    JsonNode output = post(request("{'id':'e','expr':'a + b'}")).get("outputs").get(0);

    // Columns web01, web02 (b missing: zero fill), web03 (a missing: zero fill).
    assertThat(dps(output)).isEqualTo(rows("3,10,5", "4,20,5", "3,30,5"));
    assertThat(output.get("meta").get(2).get("metrics").toString()).isEqualTo("[\"exp.a\"]");
    assertThat(output.get("meta").get(3).get("commonTags").get("host").asText()).isEqualTo("web03");
  }

  @Test
  void scalarArithmeticAndRatiosWithDivisionByZero() {
    JsonNode response =
        post(
            request(
                "{'id':'twice','expr':'a * 2'},"
                    + "{'id':'ratio','expr':'(a - b) / b','join':{'operator':'intersection'}},"
                    + "{'id':'nulls','expr':'(a - b) / b','join':{'operator':'intersection'},"
                    + "'fillPolicy':{'policy':'null'}},"
                    + "{'id':'scalar','expr':'(a - b) / b','join':{'operator':'intersection'},"
                    + "'fillPolicy':{'policy':'scalar','value':-1}}"));

    JsonNode outputs = response.get("outputs");
    assertThat(outputs)
        .extracting(o -> o.get("id").asText())
        .containsExactly("twice", "ratio", "nulls", "scalar");
    assertThat(dps(outputs.get(0))).isEqualTo(rows("2,20", "4,40", "6,60"));
    assertThat(dps(outputs.get(1))).isEqualTo(rows("-0.5", "0", "\"NaN\""));
    assertThat(dps(outputs.get(2))).isEqualTo(rows("-0.5", "0", "null"));
    assertThat(dps(outputs.get(3))).isEqualTo(rows("-0.5", "0", "-1"));
  }

  @Test
  void outputsSelectAndAliasExpressionsAndMetrics() {
    JsonNode outputs =
        post(request(
                "{'id':'e','expr':'a + b','join':{'operator':'intersection'}},"
                    + "{'id':'e2','expr':'e * 10'}",
                "'outputs':[{'id':'e2','alias':'Ten times'},{'id':'b'}]"))
            .get("outputs");

    assertThat(outputs).hasSize(2);
    assertThat(outputs.get(0).get("id").asText()).isEqualTo("e2");
    assertThat(outputs.get(0).get("alias").asText()).isEqualTo("Ten times");
    assertThat(dps(outputs.get(0))).isEqualTo(rows("30", "40", "30"));
    assertThat(outputs.get(1).get("id").asText()).isEqualTo("b");
    assertThat(dps(outputs.get(1))).isEqualTo(rows("2,5", "2,5", "0,5"));
    assertThat(outputs.get(1).get("meta").get(1).get("metrics").toString())
        .isEqualTo("[\"exp.b\"]");
  }

  @Test
  void withoutGroupByEachMetricIsOneSeries() {
    String body =
        ("{'time':{'start':"
                + (T0 - 600)
                + ",'end':"
                + (T0 + 600)
                + ",'aggregator':'sum','downsampler':{'interval':'2m','aggregator':'max'}},"
                + "'metrics':[{'id':'a','metric':'exp.a'},{'id':'b','metric':'exp.b'}],"
                + "'expressions':[{'id':'e','expr':'a - b'}]}")
            .replace('\'', '"');
    JsonNode output = post(body).get("outputs").get(0);

    // 2m buckets start at multiples of 120 s: t0 - 80 s holds t0; t0 + 40 s holds t0+60, t0+120.
    long first = (T0 / 120) * 120 * 1000;
    // Per series max, then sum over hosts. Bucket 1: a 1+10, b 2+5 → 4.
    // Bucket 2: a max(2,3)+max(20,30) = 33, b max(2,0)+5 = 7 → 26.
    assertThat(output.get("dps").toString())
        .isEqualTo("[[" + first + ",4],[" + (first + 120_000) + ",26]]");
    assertThat(output.get("meta").get(1).get("aggregatedTags").toString()).isEqualTo("[\"host\"]");
  }

  @Test
  void invalidRequestsAreRejectedWithOpenTsdbMessages() {
    assertThat(error("{\"metrics\":[]}")).isEqualTo("missing time");
    assertThat(error(request("{'id':'e','expr':'a + c'}")))
        .isEqualTo("Expression [a + c] was missing input c");
    assertThat(error(request("{'id':'a','expr':'b'}")))
        .isEqualTo("Duplicated variable or expression id: a");
    assertThat(error(request("{'id':'e.x','expr':'a'}")))
        .isEqualTo("Invalid id (\"e.x\"): illegal character: .");
    assertThat(error(request("{'id':'e','expr':'f'},{'id':'f','expr':'e'}")))
        .isEqualTo("Circular reference in expressions: e -> f -> e");
    assertThat(error(request("{'id':'e','expr':'a +'}"))).startsWith("Invalid expression 'a +'");
    assertThat(error(request("{'id':'e','expr':'a','join':{'operator':'left'}}")))
        .startsWith("Invalid join operator 'left'");
    assertThat(error(request("{'id':'e','expr':'a'}", "'outputs':[{'id':'zz'}]")))
        .isEqualTo("Output [zz] does not name a metric or an expression");
    assertThat(
            error(
                request("{'id':'e','expr':'a'}")
                    .replace("exp.b\",\"filter\":\"f1", "exp.b\",\"filter\":\"f2")))
        .isEqualTo("unrecognized filter id f2 in metric b");
    assertThat(
            error(
                request("{'id':'e','expr':'a'}")
                    .replace(
                        "\"metrics\":[",
                        "\"metrics\":[{\"id\":\"c\",\"metric\":\"no.such.metric\"},")))
        .isEqualTo("No such name for 'metrics': 'no.such.metric'");
    assertThat(error("not json")).isEqualTo("Unable to parse the given JSON");

    var get = node.send("GET", "/api/query/exp", null);
    assertThat(get.statusCode()).isEqualTo(405);
  }
}
