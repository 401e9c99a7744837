package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.NodeUnderTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@code /api/query} adds for TSUIDs and annotations: {@code show_tsuids}, sub queries by
 * TSUID, series annotations and global annotations in the results.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryTsuidsAndAnnotationsTest {

  private static final String RANGE = "start=1700000000&end=1700001000";

  private static NodeUnderTest node;

  /** The node the tests run against; the ops module overrides this with a node on Cassandra. */
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return InMemoryNode.start(name, extraConfig);
  }

  @BeforeAll
  void start() {
    node = startNode("QueryTsuidsAndAnnotationsTest", "");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static HttpResponse<String> send(String method, String path, String body) {
    return node.send(method, path, body);
  }

  /** Writes one point per host of the metric, at 1700000000 and 1700000060. */
  private static void put(String metric, String... hosts) {
    StringBuilder body = new StringBuilder("[");
    for (String host : hosts) {
      for (long ts : new long[] {1700000000L, 1700000060L}) {
        if (body.length() > 1) {
          body.append(',');
        }
        body.append("{\"metric\":\"")
            .append(metric)
            .append("\",\"timestamp\":")
            .append(ts)
            .append(",\"value\":1,\"tags\":{\"host\":\"")
            .append(host)
            .append("\"}}");
      }
    }
    var response = send("POST", "/api/put", body.append(']').toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }

  /** The TSUIDs of the metric's series, one per host in host order, through show_tsuids. */
  private static List<String> tsuidsOf(String metric) {
    JsonNode results =
        json(send("GET", "/api/query?" + RANGE + "&show_tsuids&m=none:" + metric, null));
    List<String> tsuids = new ArrayList<>();
    results.forEach(result -> tsuids.add(result.get("tsuids").get(0).asText()));
    return tsuids;
  }

  private static String annotate(String tsuid, long start, String description) {
    return "{\"startTime\":"
        + start
        + (tsuid == null ? "" : ",\"tsuid\":\"" + tsuid + "\"")
        + ",\"description\":\""
        + description
        + "\"}";
  }

  @Test
  void showTsuidsListsTheSortedTsuidsOfTheSeriesInEachResult() {
    put("q.show", "web01", "web02");

    JsonNode summed = json(send("GET", "/api/query?" + RANGE + "&show_tsuids&m=sum:q.show", null));
    List<String> single = tsuidsOf("q.show");

    assertThat(single).hasSize(2);
    assertThat(single.get(0)).matches("[0-9A-F]{18}").isNotEqualTo(single.get(1));
    assertThat(summed.get(0).get("tsuids"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(single.stream().sorted().toList());
    assertThat(single.get(0).substring(0, 6)).isEqualTo(single.get(1).substring(0, 6));
  }

  @Test
  void withoutShowTsuidsResultsCarryNoTsuidsNorEmptyAnnotationLists() {
    put("q.plain", "web01");

    JsonNode result = json(send("GET", "/api/query?" + RANGE + "&m=sum:q.plain", null)).get(0);

    assertThat(result.has("tsuids")).isFalse();
    assertThat(result.has("annotations")).isFalse();
    assertThat(result.has("globalAnnotations")).isFalse();
  }

  @Test
  void aTsuidQuerySelectsExactlyThoseSeries() {
    put("q.bytsuid", "web01", "web02", "web03");
    List<String> tsuids = tsuidsOf("q.bytsuid");

    JsonNode one = json(send("GET", "/api/query?" + RANGE + "&tsuid=sum:" + tsuids.get(1), null));
    JsonNode two =
        json(
            send(
                "POST",
                "/api/query",
                "{\"start\":1700000000,\"end\":1700001000,\"showTSUIDs\":true,\"queries\":"
                    + "[{\"aggregator\":\"sum\",\"tsuids\":[\""
                    + tsuids.get(0)
                    + "\",\""
                    + tsuids.get(2).toLowerCase()
                    + "\"]}]}"));

    assertThat(one).hasSize(1);
    assertThat(one.get(0).get("metric").asText()).isEqualTo("q.bytsuid");
    assertThat(one.get(0).get("tags").get("host").asText()).isEqualTo("web02");
    assertThat(two).hasSize(1);
    assertThat(two.get(0).get("aggregateTags"))
        .extracting(JsonNode::asText)
        .containsExactly("host");
    assertThat(two.get(0).get("dps").get("1700000000").asInt()).isEqualTo(2);
    assertThat(two.get(0).get("tsuids"))
        .extracting(JsonNode::asText)
        .containsExactly(tsuids.get(0), tsuids.get(2));
  }

  @Test
  void tsuidQueriesWithUnknownUidsOrMixedMetricsAre400() {
    var unknown = send("GET", "/api/query?" + RANGE + "&tsuid=sum:FFFFFF000001000001", null);
    var mixed =
        send(
            "GET",
            "/api/query?" + RANGE + "&tsuid=sum:000001000001000001,000002000001000001",
            null);

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("error").get("message").asText())
        .isEqualTo("No such unique ID for 'metrics': 'FFFFFF'");
    assertThat(mixed.statusCode()).isEqualTo(400);
    assertThat(json(mixed).get("error").get("message").asText())
        .isEqualTo("One or more TSUIDs did not share the same metric");
  }

  @Test
  void resultsCarryTheAnnotationsOfTheirSeriesInTheRange() {
    put("q.notes", "web01", "web02");
    List<String> tsuids = tsuidsOf("q.notes");
    send("POST", "/api/annotation", annotate(tsuids.get(0), 1700000030L, "deploy"));
    send("POST", "/api/annotation", annotate(tsuids.get(0), 1600000000L, "long ago"));

    JsonNode perSeries = json(send("GET", "/api/query?" + RANGE + "&m=none:q.notes", null));
    JsonNode summed = json(send("GET", "/api/query?" + RANGE + "&m=sum:q.notes", null));
    JsonNode suppressed =
        json(send("GET", "/api/query?" + RANGE + "&no_annotations&m=sum:q.notes", null));

    JsonNode web01 = perSeries.get(0);
    assertThat(web01.get("tags").get("host").asText()).isEqualTo("web01");
    assertThat(web01.get("annotations")).hasSize(1);
    assertThat(web01.get("annotations").get(0).get("description").asText()).isEqualTo("deploy");
    assertThat(web01.get("annotations").get(0).get("tsuid").asText()).isEqualTo(tsuids.get(0));
    assertThat(perSeries.get(1).has("annotations")).isFalse();
    assertThat(summed.get(0).get("annotations")).hasSize(1);
    assertThat(suppressed.get(0).has("annotations")).isFalse();
  }

  @Test
  void globalAnnotationsAppearOnEveryResultOnlyWhenAskedFor() {
    put("q.global", "web01", "web02");
    send("POST", "/api/annotation", annotate(null, 1700000500L, "maintenance"));

    JsonNode asked =
        json(
            send(
                "POST",
                "/api/query",
                "{\"start\":1700000000,\"end\":1700001000,\"globalAnnotations\":true,"
                    + "\"queries\":[{\"aggregator\":\"none\",\"metric\":\"q.global\"}]}"));
    JsonNode notAsked = json(send("GET", "/api/query?" + RANGE + "&m=none:q.global", null));
    JsonNode suppressed =
        json(
            send(
                "GET",
                "/api/query?" + RANGE + "&global_annotations&no_annotations&m=none:q.global",
                null));

    assertThat(asked).hasSize(2);
    for (JsonNode result : asked) {
      assertThat(result.get("globalAnnotations")).hasSize(1);
      assertThat(result.get("globalAnnotations").get(0).get("description").asText())
          .isEqualTo("maintenance");
      assertThat(result.get("globalAnnotations").get(0).get("tsuid").asText()).isEmpty();
    }
    assertThat(notAsked.get(0).has("globalAnnotations")).isFalse();
    assertThat(suppressed.get(0).has("globalAnnotations")).isFalse();
  }
}
