package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.NodeUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** CORS exactly as OpenTSDB documents it, with a configured domain list. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsTest {

  private static NodeUnderTest node;

  /** The node the tests run against; the ops module overrides this with a node on Cassandra. */
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return InMemoryNode.start(name, extraConfig);
  }

  @BeforeAll
  void start() {
    node =
        startNode(
            "CorsTest", "meridian.http.cors.domains = [\"example.com\", \"WWW.Example.org\"]\n");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  void anAllowedOriginGetsTheAllowHeadersOnItsResponse() {
    var response = node.send("GET", "/api/aggregators", null, "Origin", "www.example.ORG");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("www.example.ORG");
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValue("GET, POST, PUT, DELETE");
    assertThat(json(response)).isNotEmpty();
  }

  @Test
  void aPreflightOfAnAllowedOriginIsAnEmpty200WithTheHeaders() {
    var response = node.send("OPTIONS", "/api/put", null, "Origin", "example.com");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("example.com");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).isPresent();
  }

  @Test
  void aDeniedOriginGetsA200ErrorAndTheRequestIsNotProcessed() {
    var put = node.send("POST", "/api/put", point("cors.a", 1700000000, "1"), "Origin", "evil.com");
    var preflight = node.send("OPTIONS", "/api/put", null, "Origin", "sub.example.com");

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(json(put).get("error").get("message").asText()).isEqualTo("CORS domain not allowed");
    assertThat(put.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(json(preflight).get("error").get("details").asText()).contains("sub.example.com");
    var query = node.send("GET", "/api/query?start=1699999000&end=1700001000&m=sum:cors.a", null);
    assertThat(query.statusCode()).isEqualTo(400);
    assertThat(json(query).get("error").get("message").asText()).contains("No such name");
  }

  @Test
  void requestsWithoutAnOriginPassThroughWithoutCorsHeaders() {
    var response = node.send("POST", "/api/put", point("cors.b", 1700000000, "1"));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
