package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request still running at {@code pekko.http.server.request-timeout} is answered 408 with the
 * error object, as OpenTSDB documents, instead of hanging (here: a journal write that never
 * succeeds while the store would wait longer than the request may).
 */
class RequestTimeoutTest {

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "RequestTimeoutTest",
            "pekko.http.server.request-timeout = 1s\nmeridian.series.ask-timeout = 30s\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aRequestOverTheRequestTimeoutIs408() {
    node.journal().failNextNPersisted(1000);

    var response = node.send("POST", "/api/put", point("slow.a", 1700000000, "1"));

    node.journal().resetPolicy();
    assertThat(response.statusCode()).isEqualTo(408);
    assertThat(json(response).get("error").get("code").asInt()).isEqualTo(408);
    assertThat(json(response).get("error").get("message").asText()).isEqualTo("Request timed out");
  }
}
