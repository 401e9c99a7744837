package io.meridian.http;

import static io.meridian.http.MetricsEndpointTest.await;
import static io.meridian.http.UnavailableCausesTest.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.RemoteWritePayload;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 503 the server sends in place of an answer later than {@code pekko.http.server.request-timeout}
 * is counted in {@code meridian_http_unavailable_total{cause="timeout"}} (here: a remote write
 * waiting on a journal that keeps failing, while the store would wait longer than the request may).
 */
class RequestTimeoutCauseTest {

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "RequestTimeoutCauseTest",
            "pekko.http.server.request-timeout = 1s\nmeridian.series.ask-timeout = 30s\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void answersPastTheRequestTimeoutAreTimeouts() {
    node.journal().failNextNPersisted(1000);
    HttpResponse<String> write =
        node.send(
            new RemoteWritePayload()
                .series(new long[] {1}, new double[] {1}, "__name__", "slow_rw")
                .post(node.uri("/api/v1/write")));
    assertThat(write.statusCode()).as(write.body()).isEqualTo(503);

    node.journal().resetPolicy();
    await("the timeout counted", () -> unavailable(node, "timeout") == 1);
  }
}
