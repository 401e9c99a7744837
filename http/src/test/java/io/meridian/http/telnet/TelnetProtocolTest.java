package io.meridian.http.telnet;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.LineClient;
import io.meridian.protocol.opentsdb.LineProtocol;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenTSDB's telnet-style protocol over real TCP on the node's HTTP port (one-node cluster,
 * in-memory journal), and HTTP still served on that same port.
 */
class TelnetProtocolTest {

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "TelnetProtocolTest",
            "meridian.series.ask-timeout = 1s\nmeridian.telnet.max-line-length = 1KiB\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void resetJournal() {
    node.journal().resetPolicy();
  }

  private static LineClient connect() {
    return new LineClient(node.hostAndPort());
  }

  /** Polls {@code query} over HTTP until {@code done} holds for its answer (or fails after 20s). */
  private static JsonNode awaitQuery(String query, java.util.function.Predicate<JsonNode> done) {
    return await(
        () -> {
          HttpResponse<String> response = node.send("GET", query, null);
          return response.statusCode() == 200 ? json(response) : null;
        },
        result -> result != null && done.test(result),
        "query " + query);
  }

  private static <T> T await(Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what + "; last: " + last);
  }

  @Test
  void putLinesWithCrlfDoubleSpacesAndMillisecondsAreQueryableOverHttpOnTheSamePort() {
    try (LineClient client = connect()) {
      client.send(
          "put tel.a 1700000000 1 host=web01  dc=lga\r\n"
              + "put tel.a 1700000060500 2.5 host=web01\tdc=lga\r\n"
              + "\r\n"
              + "put tel.a 1700000120.250 -4 host=web01 dc=lga   \r\n");
      // Successful puts are silent: the next thing the connection says is the version.
      client.send("version\r\n");
      assertThat(client.readLine()).startsWith("meridian ");
    }

    JsonNode result =
        awaitQuery(
            "/api/query?start=1700000000&end=1700000200&ms&m=sum:tel.a",
            r -> r.size() == 1 && r.get(0).get("dps").size() == 3);

    assertThat(result.get(0).get("tags").get("host").asText()).isEqualTo("web01");
    assertThat(result.get(0).get("tags").get("dc").asText()).isEqualTo("lga");
    JsonNode dps = result.get(0).get("dps");
    assertThat(dps.get("1700000000000").asDouble()).isEqualTo(1.0);
    assertThat(dps.get("1700000060500").asDouble()).isEqualTo(2.5);
    assertThat(dps.get("1700000120250").asDouble()).isEqualTo(-4.0);
  }

  @Test
  void errorsComeBackAsLinesInOrderAndTheConnectionStaysOpen() {
    try (LineClient client = connect()) {
      client.send(
          "put\n"
              + "put tel.b notatime 1 host=a\n"
              + "put tel.b 1700000000 abc host=a\n"
              + "put tel.b 1700000000 NaN host=a\n"
              + "put tel.b 1700000000 1\n"
              + "put tel.b 1700000000 1 host\n"
              + "put bad!name 1700000000 1 host=a\n"
              + "put tel.b 1700000000 7 host=a\n");

      assertThat(client.readLines(7))
          .containsExactly(
              "put: illegal argument: not enough arguments (need least 4, got 0)",
              "put: invalid value: Invalid timestamp: notatime",
              "put: invalid value: Unable to parse value to a number: abc",
              "put: invalid value: Value is NaN or Infinite: NaN",
              "put: illegal argument: not enough arguments (need least 4, got 3)",
              "put: illegal argument: invalid tag: host",
              "put: illegal argument: Invalid metric name (\"bad!name\"): illegal character: !");

      // Still open: it answers the next command.
      client.send("help\n");
      assertThat(client.readLine())
          .isEqualTo("available commands: put stats dropcaches version exit help");
    }
    awaitQuery(
        "/api/query?start=1700000000&end=1700000100&m=sum:tel.b",
        r -> r.size() == 1 && r.get(0).get("dps").get("1700000000").asDouble() == 7.0);
  }

  @Test
  void versionHelpDropcachesAndUnknownCommandsAnswerAsOpenTsdb() {
    try (LineClient client = connect()) {
      client.send("version\nhelp\ndropcaches\nnosuchcommand a b\n");

      List<String> version = client.readLines(2);
      assertThat(version.get(0))
          .matches("meridian \\S+ \\(OpenTSDB 2.x telnet-style and HTTP API\\)");
      assertThat(version.get(1)).startsWith("Built on Apache Pekko ").contains("Pekko HTTP ");
      assertThat(client.readLines(3))
          .containsExactly(
              "available commands: put stats dropcaches version exit help",
              "Caches dropped.",
              "unknown command: nosuchcommand.  Try `help'.");
    }
  }

  @Test
  void statsCountConnectionsLinesPointsAndErrors() {
    try (LineClient client = connect()) {
      Map<String, Long> before = stats(client);
      client.send(
          "put tel.c 1700000000 1 host=a\r\nput tel.c 1700000001 2 host=a\r\n"
              + "put tel.c 1700000002 x host=a\r\n");
      assertThat(client.readLine()).startsWith("put: invalid value:");
      awaitQuery(
          "/api/query?start=1700000000&end=1700000100&m=sum:tel.c",
          r -> r.size() == 1 && r.get(0).get("dps").size() == 2);

      // Points are counted once the store acknowledged them, which the query may see first.
      Map<String, Long> after =
          await(
              () -> stats(client),
              s ->
                  s.get("tsd.datapoints.added type=all")
                          - before.get("tsd.datapoints.added type=all")
                      == 2,
              "points counted");

      assertThat(delta(before, after, "tsd.rpc.received type=put")).isEqualTo(3);
      assertThat(delta(before, after, "tsd.rpc.errors type=invalid_values")).isEqualTo(1);
      assertThat(delta(before, after, "tsd.rpc.received type=telnet")).isGreaterThanOrEqualTo(4);
      assertThat(after.get("tsd.connectionmgr.connections type=open")).isGreaterThanOrEqualTo(1);
      assertThat(after.get("tsd.connectionmgr.connections type=total"))
          .isGreaterThanOrEqualTo(after.get("tsd.connectionmgr.connections type=open"));
      assertThat(after.get("tsd.connectionmgr.connections type=telnet")).isGreaterThanOrEqualTo(1);
    }
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
    return after.get(key) - before.get(key);
  }

  /**
   * Sends {@code stats} and reads its answer: "metric type=…" to value. The number of stat lines
   * varies with what the node counted, so a {@code version} after it marks where they end.
   */
  private static Map<String, Long> stats(LineClient client) {
    client.send("stats\nversion\n");
    Map<String, Long> stats = new HashMap<>();
    for (String line = client.readLine(); !line.startsWith("meridian "); line = client.readLine()) {
      // Each line is in the put format without "put", with OpenTSDB's host tag.
      var parsed = LineProtocol.parse("put " + line).orElseThrow();
      assertThat(parsed).as(line).isInstanceOf(LineProtocol.Put.class);
      var point = ((LineProtocol.Put) parsed).point();
      assertThat(point.tags()).containsKey("host");
      stats.put(point.metric() + " type=" + point.tags().get("type"), (long) point.value());
    }
    client.readLine();
    return stats;
  }

  @Test
  void exitClosesTheConnectionAfterStoringWhatCameBeforeAndIgnoresTheRest() {
    try (LineClient client = connect()) {
      client.send(
          "put tel.d 1700000000 1 host=a\nexit\nput tel.d.after 1700000000 1 host=a\nversion\n");

      assertThat(client.readUntilClosed()).isEmpty();
    }
    awaitQuery("/api/query?start=1700000000&end=1700000100&m=sum:tel.d", r -> r.size() == 1);
    var after =
        node.send("GET", "/api/query?start=1700000000&end=1700000100&m=sum:tel.d.after", null);
    assertThat(after.statusCode()).isEqualTo(400);
    assertThat(after.body()).contains("No such name");
  }

  @Test
  void aLineOverTheLimitIsAnsweredAndClosesTheConnection() {
    try (LineClient client = connect()) {
      client.send("put tel.e 1700000000 1 host=a\n");
      client.send("put tel.e 1700000001 2 host=" + "a".repeat(2000) + "\n");

      assertThat(client.readUntilClosed())
          .containsExactly(
              "line too long: more than 1024 bytes without a newline; closing the connection");
    }
    // The line before the long one was still stored.
    awaitQuery("/api/query?start=1700000000&end=1700000100&m=sum:tel.e", r -> r.size() == 1);
  }

  @Test
  void aFailedStoreWriteIsReportedAndTheConnectionStaysOpenForARetry() {
    try (LineClient client = connect()) {
      node.journal().failNextPersisted();
      client.send("put tel.f 1700000000 1 host=a\n");

      assertThat(client.readLine())
          .startsWith("put: storage error: 1 data points not stored, retry later: ");

      node.journal().resetPolicy();
      client.send("put tel.f 1700000000 1 host=a\nversion\n");
      assertThat(client.readLine()).startsWith("meridian ");
    }
    awaitQuery("/api/query?start=1700000000&end=1700000100&m=sum:tel.f", r -> r.size() == 1);
  }

  @Test
  void manyLinesInOneBurstAreAllStored() {
    int series = 50;
    int perSeries = 200;
    StringBuilder lines = new StringBuilder();
    for (int t = 0; t < perSeries; t++) {
      for (int s = 0; s < series; s++) {
        lines
            .append("put tel.g ")
            .append(1_700_000_000L + t)
            .append(' ')
            .append(s)
            .append(" host=h")
            .append(s)
            .append("\r\n");
      }
    }
    try (LineClient client = connect()) {
      client.send(lines.toString()).send("version\n");
      // Replies come in line order: the version arrives only after every batch before it.
      assertThat(client.readLine()).startsWith("meridian ");
    }

    JsonNode count =
        awaitQuery(
            "/api/query?start=1700000000&end=1700001000&m=count:tel.g",
            r -> r.size() == 1 && r.get(0).get("dps").size() == perSeries);
    count.get(0).get("dps").forEach(value -> assertThat(value.asInt()).isEqualTo(series));
  }

  @Test
  void httpIsStillServedOnTheSamePort() {
    var put =
        node.send(
            "POST",
            "/api/put",
            "{\"metric\":\"tel.h\",\"timestamp\":1700000000,\"value\":3,\"tags\":{\"host\":\"a\"}}");
    assertThat(put.statusCode()).isEqualTo(204);

    var get = node.send("GET", "/api/query?start=1700000000&end=1700000100&m=sum:tel.h", null);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(json(get).get(0).get("dps").get("1700000000").asDouble()).isEqualTo(3.0);
  }

  @Test
  void twoHttpRequestsShareOneKeptAliveConnection() {
    try (LineClient client = connect()) {
      String body =
          "{\"metric\":\"tel.i\",\"timestamp\":1700000000,\"value\":5,\"tags\":{\"host\":\"a\"}}";
      client.send(
          "POST /api/put HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + body.length()
              + "\r\n\r\n"
              + body);
      var first = client.readHttpResponse();
      client.send(
          "GET /api/query?start=1700000000&end=1700000100&m=sum:tel.i HTTP/1.1\r\n"
              + "Host: test\r\n\r\n");
      var second = client.readHttpResponse();

      assertThat(first.status()).isEqualTo(204);
      assertThat(first.hasHeader("Connection", "close")).isFalse();
      assertThat(second.status()).as(second.body()).isEqualTo(200);
      assertThat(second.body()).contains("\"1700000000\":5");
    }
  }

  @Test
  void anUpperCaseFirstWordIsHttpAsInOpenTsdb() {
    // OpenTSDB decides by the first bytes too: a capitalised command is an HTTP request line.
    try (LineClient client = connect()) {
      client.send("PUT tel.j 1700000000 1 host=a\r\n\r\n");

      // Pekko HTTP rejects the request line; what matters is that HTTP answered it.
      assertThat(client.readHttpResponse().status()).isBetween(400, 599);
    }
  }
}
