package io.meridian.http;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.LineClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node with more HTTP work in flight than {@code meridian.http.overload} allows answers further
 * requests at once with OpenTSDB's 503 and Retry-After, stores nothing of a shed put, and admits
 * requests again once the work in flight is done. Requests are held in flight by sending their
 * bodies only partly.
 */
class OverloadSheddingTest {

  private static final int MAX_BYTES = 1000;
  private static InMemoryNode node;
  private final List<HeldPut> held = new ArrayList<>();

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "OverloadSheddingTest",
            "meridian.http.retry-after = 7s\n"
                + "meridian.http.overload.max-requests-in-flight = 2\n"
                + "meridian.http.overload.max-bytes-in-flight = "
                + MAX_BYTES
                + "\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void releaseHeld() {
    held.forEach(HeldPut::close);
    awaitInFlight(OverloadGuard.INFLIGHT_REQUESTS, 0);
  }

  @Test
  void requestsBeyondMaxRequestsInFlightGetAFast503AndStoreNothing() {
    hold("held.requests.a", 200);
    hold("held.requests.b", 200);
    awaitInFlight(OverloadGuard.INFLIGHT_REQUESTS, 2);

    long started = System.nanoTime();
    HttpResponse<String> put = node.send("POST", "/api/put", point("shed.requests", 1, "1"));
    HttpResponse<String> version = node.send("GET", "/api/version", null);

    // The held requests never finish on their own, so a queued request would not be answered.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    for (HttpResponse<String> response : List.of(put, version)) {
      assertUnavailable(response);
      assertThat(json(response).get("error").get("details").asText())
          .contains("meridian.http.overload.max-requests-in-flight = 2");
    }

    finishHeld();
    assertThat(query("shed.requests").statusCode()).isEqualTo(400);
    assertThat(rejected("requests")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void bodiesBeyondMaxBytesInFlightGetAFast503AndStoreNothing() {
    hold("held.bytes.a", 800);
    awaitInFlight(OverloadGuard.INFLIGHT_BYTES, 800);

    HttpResponse<String> put = node.send("POST", "/api/put", padded("shed.bytes", 300));
    // A request without a body adds no bytes and is still admitted.
    HttpResponse<String> version = node.send("GET", "/api/version", null);

    assertUnavailable(put);
    assertThat(json(put).get("error").get("details").asText())
        .contains("meridian.http.overload.max-bytes-in-flight = " + MAX_BYTES)
        .contains("declares 300");
    assertThat(version.statusCode()).isEqualTo(200);

    finishHeld();
    assertThat(query("shed.bytes").statusCode()).isEqualTo(400);
    assertThat(rejected("bytes")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void requestsAreAdmittedAgainOnceTheHeldOnesAreAnswered() {
    hold("held.recovery.a", 200);
    hold("held.recovery.b", 200);
    awaitInFlight(OverloadGuard.INFLIGHT_REQUESTS, 2);
    assertUnavailable(node.send("POST", "/api/put", point("recovered", 1700000000, "5")));

    finishHeld();
    awaitInFlight(OverloadGuard.INFLIGHT_REQUESTS, 0);

    assertThat(node.send("POST", "/api/put", point("recovered", 1700000000, "5")).statusCode())
        .isEqualTo(204);
    assertThat(query("recovered").statusCode()).isEqualTo(200);
    assertThat(query("held.recovery.a").statusCode()).isEqualTo(200);
  }

  @Test
  void statsShowRejectionsByReasonAndTheWorkInFlight() {
    hold("held.stats", 200);
    awaitInFlight(OverloadGuard.INFLIGHT_REQUESTS, 1);
    node.send("POST", "/api/put", padded("shed.stats", MAX_BYTES));

    JsonNode stats = json(node.send("GET", "/api/stats", null));

    assertThat(stat(stats, "tsd.http.rejected", "bytes")).isGreaterThanOrEqualTo(1);
    // The held put and the stats request itself.
    assertThat(stat(stats, "tsd.http.inflight.requests", null)).isEqualTo(2);
    assertThat(stat(stats, "tsd.http.inflight.bytes", null)).isEqualTo(200);
  }

  private static void assertUnavailable(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(503);
    assertThat(error.get("message").asText()).startsWith("Node overloaded");
  }

  /** Sends a put whose body of exactly {@code length} bytes arrives only up to its first byte. */
  private void hold(String metric, int length) {
    String body = padded(metric, length);
    LineClient client = new LineClient(node.hostAndPort());
    client.send(
        "POST /api/put HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + length
            + "\r\n\r\n"
            + body.charAt(0));
    held.add(new HeldPut(client, body));
  }

  /** Sends the rest of every held body; each put is then stored and answered. */
  private void finishHeld() {
    for (HeldPut put : held) {
      put.client().send(put.body().substring(1));
      assertThat(put.client().readHttpResponse().status()).isEqualTo(204);
    }
  }

  /** One data point of {@code metric} as a JSON body padded with spaces to {@code length} bytes. */
  private static String padded(String metric, int length) {
    String point = point(metric, 1700000000, "1");
    assertThat(point.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(length);
    return point + " ".repeat(length - point.length());
  }

  private static HttpResponse<String> query(String metric) {
    return node.send("GET", "/api/query?start=1699999000&end=1700001000&m=sum:" + metric, null);
  }

  private static long rejected(String reason) {
    return statValue("tsd.http.rejected", Map.of("reason", reason));
  }

  private static long statValue(String metric, Map<String, String> tags) {
    return ApiStats.get(node.node().system()).snapshot().stream()
        .filter(s -> s.metric().equals(metric) && s.tags().equals(tags))
        .mapToLong(ApiStats.Stat::value)
        .sum();
  }

  private static long stat(JsonNode stats, String metric, String reason) {
    for (JsonNode stat : stats) {
      JsonNode tag = stat.get("tags").get("reason");
      if (stat.get("metric").asText().equals(metric)
          && (reason == null ? tag == null : tag != null && tag.asText().equals(reason))) {
        return stat.get("value").asLong();
      }
    }
    throw new AssertionError("no " + metric + " (reason " + reason + ") in " + stats);
  }

  /** Waits until the gauge {@code metric} reads {@code value}: the held requests were admitted. */
  private static void awaitInFlight(String metric, long value) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (statValue(metric, Map.of()) != value) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(metric + " is " + statValue(metric, Map.of()) + ", not " + value);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A put in flight: its connection and the body it has sent only the first byte of. */
  private record HeldPut(LineClient client, String body) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }
}
