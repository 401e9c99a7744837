package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.NodeUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conventions OpenTSDB applies to every endpoint: versioned paths, method_override, serializer
 * selection, gzip bodies, status codes and meta endpoints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiConventionsTest {

  private static NodeUnderTest node;

  /** The node the tests run against; the ops module overrides this with a node on Cassandra. */
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return InMemoryNode.start(name, extraConfig);
  }

  @BeforeAll
  void start() {
    node = startNode("ApiConventionsTest", "pekko.http.server.parsing.max-content-length = 4k\n");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static JsonNode query(String metric) {
    var response =
        node.send("GET", "/api/query?start=1699999000&end=1700001000&m=sum:" + metric, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  @Test
  void versionedPathsReachTheSameEndpointsAndUnknownVersionsTheLatest() {
    assertThat(node.send("POST", "/api/v1/put", point("v.a", 1700000000, "1")).statusCode())
        .isEqualTo(204);
    assertThat(node.send("POST", "/api/v99/put", point("v.a", 1700000001, "2")).statusCode())
        .isEqualTo(204);

    var v1 = node.send("GET", "/api/v1/query?start=1699999000&end=1700001000&ms&m=sum:v.a", null);
    var latest = node.send("GET", "/api/query?start=1699999000&end=1700001000&ms&m=sum:v.a", null);

    assertThat(json(v1)).isEqualTo(json(latest));
    assertThat(json(v1).get(0).get("dps").size()).isEqualTo(2);
  }

  @Test
  void methodOverrideTurnsAGetIntoTheNamedMethod() {
    var asPost = node.send("GET", "/api/put?method_override=post", null);
    var bogus = node.send("GET", "/api/aggregators?method_override=patch", null);
    var notAllowed = node.send("GET", "/api/stats?method_override=delete", null);

    assertThat(asPost.statusCode()).isEqualTo(400);
    assertThat(json(asPost).get("error").get("message").asText())
        .isEqualTo("Missing request content");
    assertThat(bogus.statusCode()).isEqualTo(400);
    assertThat(json(bogus).get("error").get("message").asText())
        .isEqualTo("Unknown or unsupported method override value");
    assertThat(notAllowed.statusCode()).isEqualTo(405);
  }

  @Test
  void theJsonSerializerIsTheDefaultAndUnknownSerializersAreErrors() {
    assertThat(node.send("GET", "/api/aggregators?serializer=json", null).statusCode())
        .isEqualTo(200);

    var xml = node.send("GET", "/api/aggregators?serializer=xml", null);

    assertThat(xml.statusCode()).isEqualTo(400);
    JsonNode error = json(xml).get("error");
    assertThat(error.get("message").asText()).isEqualTo("Requested serializer was not found");
    assertThat(error.get("details").asText()).contains("xml");
  }

  @Test
  void anAcceptHeaderThatExcludesJsonIs406() {
    var png = node.send("GET", "/api/aggregators", null, "Accept", "image/png");
    var any = node.send("GET", "/api/aggregators", null, "Accept", "text/html, */*;q=0.1");

    assertThat(png.statusCode()).isEqualTo(406);
    assertThat(json(png).get("error").get("code").asInt()).isEqualTo(406);
    assertThat(any.statusCode()).isEqualTo(200);
  }

  @Test
  void gzipBodiesAreDecompressed() throws IOException {
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(("[" + point("gz.a", 1700000000, "7") + "]").getBytes(StandardCharsets.UTF_8));
    }

    var response =
        node.send(
            HttpRequest.newBuilder(node.uri("/api/put?details"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray())));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("success").asInt()).isEqualTo(1);
    assertThat(query("gz.a").get(0).get("dps").get("1700000000").asInt()).isEqualTo(7);
  }

  @Test
  void getNeverReadsABody() {
    var response =
        node.send(
            "GET",
            "/api/query",
            "{\"start\":1699999000,\"queries\":[{\"aggregator\":\"sum\",\"metric\":\"x\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").get("message").asText()).containsIgnoringCase("start");
  }

  @Test
  void getNeverReadsABodyEvenWhereTheEndpointTakesOne() {
    var annotation =
        node.send(
            "GET", "/api/annotation", "{\"startTime\":1700000000,\"description\":\"ignored\"}");

    assertThat(annotation.statusCode()).isEqualTo(400);
    assertThat(json(annotation).get("error").get("message").asText()).containsIgnoringCase("start");
  }

  @Test
  void unknownEndpointsAre404AndUnimplementedOnes501() {
    var unknown = node.send("GET", "/api/nope", null);
    var unimplemented = node.send("GET", "/api/query/gexp", null);

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").get("message").asText()).isEqualTo("Endpoint not found");
    assertThat(unimplemented.statusCode()).isEqualTo(501);
    assertThat(json(unimplemented).get("error").get("code").asInt()).isEqualTo(501);
  }

  @Test
  void bodiesOverTheLimitAre413() {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      body.append(i == 0 ? "" : ",").append(point("big.a", 1700000000 + i, "1"));
    }
    var response = node.send("POST", "/api/put", body.append(']').toString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").get("code").asInt()).isEqualTo(413);
  }

  @Test
  void optionsWithoutCorsConfiguredIs405() {
    var response = node.send("OPTIONS", "/api/put", null, "Origin", "example.com");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void metaEndpointsDescribeTheServer() {
    JsonNode aggregators = json(node.send("GET", "/api/aggregators", null));
    JsonNode serializers = json(node.send("GET", "/api/serializers", null));
    JsonNode version = json(node.send("POST", "/api/version", ""));
    JsonNode config = json(node.send("GET", "/api/config", null));
    JsonNode filters = json(node.send("GET", "/api/config/filters", null));
    JsonNode dropCaches = json(node.send("GET", "/api/dropcaches", null));
    JsonNode jvm = json(node.send("GET", "/api/stats/jvm", null));

    assertThat(aggregators).extracting(JsonNode::asText).contains("sum", "zimsum", "p99", "none");
    assertThat(serializers.get(0).get("serializer").asText()).isEqualTo("json");
    assertThat(version.get("version").asText()).isNotEmpty();
    assertThat(config.get("tsd.network.port").asText()).isEqualTo("0");
    assertThat(config.get("meridian.series.groups").asInt()).isPositive();
    assertThat(filters.fieldNames())
        .toIterable()
        .contains("literal_or", "iliteral_or", "not_literal_or", "wildcard", "iwildcard", "regexp");
    assertThat(dropCaches.get("status").asText()).isEqualTo("200");
    assertThat(jvm.get("memory").get("heapMemoryUsage").get("used").asLong()).isPositive();
  }

  @Test
  void statsCountWhatTheNodeDid() {
    node.send(
        "POST",
        "/api/put",
        "[" + point("st.a", 1700000000, "1") + "," + point("st.a", 1700000001, "\"x\"") + "]");

    JsonNode stats = json(node.send("GET", "/api/stats", null));

    assertThat(stat(stats, "tsd.datapoints.added", "all")).isGreaterThanOrEqualTo(1);
    assertThat(stat(stats, "tsd.rpc.errors", "invalid_values")).isGreaterThanOrEqualTo(1);
    assertThat(stat(stats, "meridian.cluster.members", null)).isEqualTo(1);
    assertThat(stat(stats, "meridian.series.count", null)).isGreaterThanOrEqualTo(1);
    assertThat(stat(stats, "meridian.series.head_bytes", null)).isPositive();
    for (JsonNode stat : stats) {
      assertThat(stat.get("tags").has("host")).isTrue();
      assertThat(stat.get("timestamp").asLong()).isPositive();
    }
  }

  /** The value of a stat by metric and {@code type} tag (null: a stat without one). */
  private static long stat(JsonNode stats, String metric, String type) {
    for (JsonNode stat : stats) {
      JsonNode typeTag = stat.get("tags").get("type");
      if (stat.get("metric").asText().equals(metric)
          && (type == null ? typeTag == null : typeTag != null && typeTag.asText().equals(type))) {
        return Long.parseLong(stat.get("value").asText());
      }
    }
    throw new AssertionError(metric + " not in " + stats);
  }
}
