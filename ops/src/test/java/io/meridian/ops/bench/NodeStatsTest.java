package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeStatsTest {

  /** An answer as the node's StatsHandler gives it: values are strings, tags an object. */
  private static String answer(String pending) {
    return "[{\"metric\":\"tsd.http.query.requests\",\"timestamp\":1764121000,\"value\":\"12\","
        + "\"tags\":{\"host\":\"h\"}},"
        + "{\"metric\":\"meridian.series.count\",\"timestamp\":1764121000,\"value\":\"200\","
        + "\"tags\":{\"host\":\"h\",\"tenant\":\"default\"}}"
        + (pending == null
            ? ""
            : ",{\"metric\":\"meridian.series.pending_chunks\",\"timestamp\":1764121000,"
                + "\"value\":\""
                + pending
                + "\",\"tags\":{\"host\":\"h\",\"tenant\":\"default\"}}")
        + "]";
  }

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void readsPendingChunksFromTheStatsAnswer() throws IOException {
    assertThat(NodeStats.value(answer("0"), NodeStats.PENDING_CHUNKS)).hasValue(0);
    assertThat(NodeStats.value(answer("37"), NodeStats.PENDING_CHUNKS)).hasValue(37);
    assertThat(NodeStats.value(answer("12"), "meridian.series.count")).hasValue(200);
    assertThat(
            NodeStats.value(
                "[{\"metric\":\"m\",\"value\":2},{\"metric\":\"m\",\"value\":\"3\"}]", "m"))
        .hasValue(5);
  }

  @Test
  void anAnswerWithoutTheStorageFiguresHasNoPendingChunks() throws IOException {
    // The node leaves them out when its groups do not answer in time: not the same as 0.
    assertThat(NodeStats.value(answer(null), NodeStats.PENDING_CHUNKS)).isEmpty();
  }

  @Test
  void somethingElseThanAStatsAnswerIsAnError() {
    assertThatThrownBy(() -> NodeStats.value("{\"error\":1}", NodeStats.PENDING_CHUNKS))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an /api/stats answer");
    assertThatThrownBy(() -> NodeStats.value(answer("many"), NodeStats.PENDING_CHUNKS))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a whole number");
  }

  @Test
  void theStatsUrlIsOnTheWriteUrlsServer() {
    assertThat(NodeStats.statsUrlOf(URI.create("http://127.0.0.1:4242/api/v1/write")))
        .isEqualTo(URI.create("http://127.0.0.1:4242/api/stats"));
    assertThat(NodeStats.statsUrlOf(URI.create("http://node:1/api/put?details")))
        .isEqualTo(URI.create("http://node:1/api/stats"));
  }

  @Test
  void waitsForTwoIdlePollsInARowAndReturnsTheFirst() throws Exception {
    // Pending 3, then 0, then 2 (a window sealed between polls), then 0 for good.
    List<String> sequence = List.of("3", "0", "2", "0");
    AtomicInteger polls = new AtomicInteger();
    AtomicLong lastIdleStreakStart = new AtomicLong();
    start(
        () -> {
          int poll = polls.getAndIncrement();
          String pending = sequence.get(Math.min(poll, sequence.size() - 1));
          if (poll == sequence.size() - 1) {
            lastIdleStreakStart.set(System.currentTimeMillis());
          }
          return answer(pending);
        });
    long before = System.currentTimeMillis();
    OptionalLong firstIdle =
        stats().awaitNoPendingChunks(Duration.ofMillis(20), Duration.ofMinutes(1));
    assertThat(firstIdle).isPresent();
    assertThat(polls.get()).isEqualTo(5);
    assertThat(firstIdle.getAsLong())
        .isGreaterThanOrEqualTo(before)
        .isLessThanOrEqualTo(lastIdleStreakStart.get());
  }

  @Test
  void givesUpWhenChunksStayPending() throws Exception {
    start(() -> answer("1"));
    assertThat(stats().awaitNoPendingChunks(Duration.ofMillis(20), Duration.ofMillis(200)))
        .isEmpty();
  }

  @Test
  void anHttpErrorIsReported() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext(
        "/api/stats",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
    assertThatThrownBy(() -> stats().pendingChunks())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 503");
  }

  private void start(java.util.function.Supplier<String> body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext(
        "/api/stats",
        exchange -> {
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  private NodeStats stats() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/stats");
    return new NodeStats(HttpClient.newHttpClient(), url, List.of());
  }
}
