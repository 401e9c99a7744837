package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.DebianPackages;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real collectd (Debian's {@code collectd-core}) writes its metrics with the {@code write_tsdb}
 * plugin, i.e. OpenTSDB's telnet-style {@code put} lines, to a node's HTTP port on a real
 * Cassandra; the metrics are then read back through {@code /api/query} on the same port.
 *
 * <p>A second {@code write_tsdb} node points at a socket of the test, which records the bytes
 * collectd actually sends, so the test shows the node accepted CRLF line ends and double spaces
 * between tags rather than assuming collectd sends them.
 */
@ExtendWith(CassandraExtension.class)
class CollectdWriteTsdbTest {

  private static final Path COLLECTD = Path.of("/usr/sbin/collectd");
  private static final String HOSTNAME = "meridian-ci";
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private final CassandraServer cassandra = CassandraExtension.server();
  private final String keyspace = "it_" + UUID.randomUUID().toString().replace("-", "");

  @TempDir Path dir;

  private TestNode node;
  private Http http;
  private Capture capture;
  private Process collectd;

  @BeforeEach
  void start() throws IOException {
    DebianPackages.ensure(COLLECTD, "collectd-core");
    node = TestNode.start(cassandra, keyspace);
    http = new Http(node.url());
    capture = new Capture();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (collectd != null) {
        stopProcess(collectd);
      }
    } finally {
      if (capture != null) {
        capture.close();
      }
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void collectdMetricsArriveThroughWriteTsdbAndAreQueryable() throws Exception {
    URI address = URI.create(node.url());
    long startedSeconds = System.currentTimeMillis() / 1000;
    Path config = writeConfig(address.getHost(), address.getPort());
    collectd = startCollectd(config);

    String since = "/api/query?start=" + (startedSeconds - 60);
    JsonNode load =
        await(() -> query(since + "&m=none:load.load.shortterm"), r -> r.size() > 0, "load");
    JsonNode memory =
        await(() -> query(since + "&m=none:memory.used.memory"), r -> r.size() > 0, "memory");
    // Rates need two readings: the first CPU sample is NaN, which write_tsdb does not send.
    JsonNode cpu = await(() -> query(since + "&m=sum:cpu.0.cpu.idle"), r -> r.size() > 0, "cpu");

    JsonNode loadSeries = load.get(0);
    assertThat(loadSeries.get("tags").get("fqdn").asText()).isEqualTo(HOSTNAME);
    assertThat(loadSeries.get("tags").get("env").asText()).isEqualTo("ci");
    assertThat(loadSeries.get("tags").get("source").asText()).isEqualTo("collectd");
    long now = System.currentTimeMillis() / 1000;
    for (var dp : loadSeries.get("dps").properties()) {
      assertThat(Long.parseLong(dp.getKey())).isBetween(startedSeconds - 5, now + 5);
      assertThat(dp.getValue().asDouble()).isGreaterThanOrEqualTo(0.0);
    }
    assertThat(firstValue(memory)).isPositive();
    assertThat(firstValue(cpu)).isGreaterThanOrEqualTo(0.0);

    // What collectd sent: CRLF line ends and, with no per-value tags, two spaces before HostTags.
    String sent = capture.text();
    assertThat(sent).contains("put load.load.shortterm ");
    assertThat(sent).contains(" fqdn=" + HOSTNAME + "  env=ci source=collectd\r\n");

    // And the node rejected none of those lines as malformed.
    Map<String, Long> stats = telnetStats(address.getHost(), address.getPort());
    assertThat(stats.get("tsd.rpc.errors type=illegal_arguments")).isZero();
    assertThat(stats.get("tsd.connectionmgr.connections type=telnet")).isGreaterThanOrEqualTo(2);
    assertThat(stats.get("tsd.datapoints.added type=all")).isPositive();
  }

  private Path writeConfig(String host, int port) throws IOException {
    Path config = dir.resolve("collectd.conf");
    String text =
        String.join(
            "\n",
            "Hostname \"" + HOSTNAME + "\"",
            "FQDNLookup false",
            // Everything collectd writes stays in the test's directory: no shared pid or state.
            "BaseDir \"" + dir + "\"",
            "PIDFile \"" + dir.resolve("collectd.pid") + "\"",
            "TypesDB \"/usr/share/collectd/types.db\"",
            "Interval 1",
            "",
            "LoadPlugin logfile",
            "<Plugin logfile>",
            "  LogLevel \"info\"",
            "  File \"" + dir.resolve("collectd.log") + "\"",
            "  Timestamp true",
            "</Plugin>",
            "",
            "LoadPlugin load",
            "LoadPlugin memory",
            "LoadPlugin cpu",
            "LoadPlugin write_tsdb",
            "<Plugin write_tsdb>",
            "  <Node \"meridian\">",
            "    Host \"" + host + "\"",
            "    Port \"" + port + "\"",
            "    HostTags \"env=ci source=collectd\"",
            "    StoreRates true",
            "  </Node>",
            "  <Node \"capture\">",
            "    Host \"127.0.0.1\"",
            "    Port \"" + capture.port() + "\"",
            "    HostTags \"env=ci source=collectd\"",
            "    StoreRates true",
            "  </Node>",
            "</Plugin>",
            "");
    Files.writeString(config, text);
    return config;
  }

  private Process startCollectd(Path config) throws IOException, InterruptedException {
    Path testLog = dir.resolve("collectd-config-test.log");
    Process check =
        new ProcessBuilder(COLLECTD.toString(), "-t", "-C", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(testLog.toFile())
            .start();
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(Files.readString(testLog)).isZero();
    return new ProcessBuilder(COLLECTD.toString(), "-f", "-C", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("collectd.out").toFile())
        .start();
  }

  private static void stopProcess(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private JsonNode query(String pathAndQuery) {
    var response = http.get(pathAndQuery);
    // 400 "No such name" until the first point of the metric has been written.
    return response.status() == 200 ? response.json() : null;
  }

  private static double firstValue(JsonNode result) {
    return result.get(0).get("dps").elements().next().asDouble();
  }

  private <T> T await(Supplier<T> probe, Predicate<T> done, String what) throws IOException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (last != null && done.test(last)) {
        return last;
      }
      if (!collectd.isAlive()) {
        throw new AssertionError("collectd exited with " + collectd.exitValue() + ": " + logs());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "no " + what + " metrics within " + DEADLINE + "; last answer " + last + "; " + logs());
  }

  private String logs() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String name : new String[] {"collectd.log", "collectd.out"}) {
      Path file = dir.resolve(name);
      if (Files.exists(file)) {
        sb.append('\n').append(name).append(":\n").append(Files.readString(file));
      }
    }
    return sb.append("\ncaptured:\n").append(capture.text()).toString();
  }

  /** Sends {@code stats} over the line protocol: "metric type=…" to value. */
  private static Map<String, Long> telnetStats(String host, int port) throws IOException {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write("stats\nexit\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, Long> stats = new HashMap<>();
      for (String line : answer.split("\n")) {
        String[] words = line.trim().split(" +");
        String type = "";
        for (int i = 3; i < words.length; i++) {
          if (words[i].startsWith("type=")) {
            type = " " + words[i];
          }
        }
        stats.put(words[0] + type, Long.parseLong(words[2]));
      }
      return stats;
    }
  }

  /**
   * A TCP socket of the test that records every byte written to it, like a TSD that says nothing.
   */
  private static final class Capture implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Socket> clients = new ArrayList<>();
    private final Thread acceptor;

    Capture() throws IOException {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::accept, "collectd-capture");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          synchronized (this) {
            clients.add(client);
          }
          Thread reader = new Thread(() -> read(client), "collectd-capture-reader");
          reader.setDaemon(true);
          reader.start();
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void read(Socket client) {
      byte[] buffer = new byte[8192];
      try (InputStream in = client.getInputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (this) {
            received.write(buffer, 0, n);
          }
        }
      } catch (IOException e) {
        // The connection ended; what arrived is kept.
      }
    }

    synchronized String text() {
      return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      try {
        server.close();
        synchronized (this) {
          for (Socket client : clients) {
            client.close();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
