package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meridian.protocol.prometheus.RemoteWriteDecoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xerial.snappy.Snappy;
import picocli.CommandLine;

class IngestBenchmarkTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Receiver receiver;

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = new Receiver();
  }

  @AfterEach
  void stopReceiver() {
    receiver.server.stop(0);
  }

  @Test
  void aHostHasFiveHundredDistinctNodeExporterSeries() {
    NodeExporterSeries generated = new NodeExporterSeries(1000, 500, 0, 15_000, 1);
    assertThat(generated.hosts()).isEqualTo(2);
    Set<Map<String, String>> host0 = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      host0.add(generated.labels(i));
      assertThat(generated.labels(i))
          .containsEntry("job", "node")
          .containsEntry("instance", "host-000:9100")
          .containsKey("__name__");
    }
    assertThat(host0).hasSize(500);
    assertThat(generated.labels(500)).containsEntry("instance", "host-001:9100");
    Set<String> metrics = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      metrics.add(generated.metric(i));
    }
    assertThat(metrics)
        .contains(
            "node_cpu_seconds_total",
            "node_network_receive_bytes_total",
            "node_filesystem_avail_bytes",
            "node_memory_MemAvailable_bytes",
            "node_disk_written_bytes_total");
    // 4 CPUs × 8 modes per host, whole hosts.
    assertThat(generated.queryMetricSeries(40)).hasSize(64);
  }

  @Test
  void theNullSinkAcknowledgesEveryRound() {
    Run run =
        run(
            "--null-sink",
            "--series",
            "1000",
            "--series-per-request",
            "250",
            "--connections",
            "2",
            "--rounds",
            "3",
            "--duration",
            "5m");
    assertThat(run.exit).as(run.output).isZero();
    assertThat(run.output)
        .contains("3000 samples acknowledged in 12 of 12 requests")
        .contains("3 full rounds")
        .contains("failed_requests: 0")
        .contains("ingest_samples_per_s: ")
        .contains("generator_cpu_s: ");
  }

  @Test
  void remoteWriteCarriesTheAskedSeriesScrapeAfterScrape() {
    long pid = ProcessHandle.current().pid();
    Run run =
        run(
            "--target",
            receiver.url("/api/v1/write"),
            "--series",
            "1200",
            "--series-per-request",
            "500",
            "--connections",
            "3",
            "--rounds",
            "4",
            "--duration",
            "5m",
            "--server-pid",
            "" + pid);
    assertThat(run.exit).as(run.output).isZero();
    assertThat(receiver.headers)
        .allSatisfy(
            h ->
                assertThat(h)
                    .containsEntry("content-encoding", "snappy")
                    .containsEntry("content-type", "application/x-protobuf")
                    .containsEntry("x-prometheus-remote-write-version", "0.1.0"));
    Map<Map<String, String>, List<long[]>> series = receiver.series;
    assertThat(series).hasSize(1200);
    assertThat(series.values()).allSatisfy(samples -> assertThat(samples).hasSize(4));
    Map<String, Long> perInstance =
        series.keySet().stream()
            .collect(Collectors.groupingBy(l -> l.get("instance"), Collectors.counting()));
    assertThat(perInstance)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("host-000:9100", 500L, "host-001:9100", 500L, "host-002:9100", 200L));
    assertThat(series.keySet())
        .allSatisfy(labels -> assertThat(labels).containsEntry("job", "node"));
    assertThat(receiver.labelOrderSorted).isTrue();
    for (Map.Entry<Map<String, String>, List<long[]>> one : series.entrySet()) {
      List<long[]> samples = one.getValue();
      assertOneIntervalApart(one.getKey(), samples);
      for (int s = 1; s < samples.size(); s++) {
        if (one.getKey().get("__name__").endsWith("_total")) {
          assertThat(Double.longBitsToDouble(samples.get(s)[1]))
              .as("counter %s", one.getKey())
              .isGreaterThanOrEqualTo(Double.longBitsToDouble(samples.get(s - 1)[1]));
        }
      }
    }
    // Some counters grow, some gauges move, some series stay constant: all three shapes appear.
    long changing = series.values().stream().filter(s -> s.get(0)[1] != s.get(3)[1]).count();
    assertThat(changing).isBetween(100L, 1100L);
    assertThat(run.output)
        .contains("4800 samples acknowledged")
        .contains("server_cpu_s: ")
        .contains("samples_per_server_cpu_s: ")
        .contains("rss_bytes: ");
  }

  @Test
  void warmupRoundsComeFirstAndAreLeftOutOfTheTimedRun() {
    Run run =
        run(
            "--target",
            receiver.url("/api/v1/write"),
            "--series",
            "600",
            "--series-per-request",
            "250",
            "--connections",
            "2",
            "--warmup-rounds",
            "2",
            "--rounds",
            "3",
            "--duration",
            "5m");
    assertThat(run.exit).as(run.output).isZero();
    // Every series got the two warm-up scrapes and then the run's three, one interval apart.
    assertThat(receiver.series).hasSize(600);
    for (Map.Entry<Map<String, String>, List<long[]>> one : receiver.series.entrySet()) {
      assertThat(one.getValue()).as("%s", one.getKey()).hasSize(5);
      assertOneIntervalApart(one.getKey(), one.getValue());
    }
    assertThat(run.output)
        .contains("warm-up: 2 rounds, 1200 samples acknowledged")
        .contains("run: 1800 samples acknowledged in 9 of 9 requests")
        .contains("3 full rounds");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--warmup-rounds", "--warmup-queries"})
  void aNegativeWarmupIsRefused(String option) {
    Run run = run("--null-sink", option, "-1");
    assertThat(run.exit).isNotZero();
    assertThat(run.output).contains("--warmup-rounds and --warmup-queries must be at least 0");
  }

  @Test
  void theBackfillWritesTheQueriedSeriesFirstAndTheQueryIsTimed() {
    Run run =
        run(
            "--target",
            receiver.url("/api/v1/write"),
            "--series",
            "1000",
            "--rounds",
            "2",
            "--duration",
            "5m",
            "--backfill",
            "5m",
            "--backfill-series",
            "40",
            "--query",
            "--query-url",
            receiver.url("/api/v1"),
            "--queries",
            "3",
            "--warmup-queries",
            "2");
    assertThat(run.exit).as(run.output).isZero();
    Map<Map<String, String>, List<long[]>> series = receiver.series;
    assertThat(series).hasSize(1000);
    long backfilled = series.values().stream().filter(s -> s.size() == 20 + 2).count();
    assertThat(backfilled).isEqualTo(64);
    for (Map.Entry<Map<String, String>, List<long[]>> one : series.entrySet()) {
      if (one.getValue().size() == 22) {
        assertThat(one.getKey()).containsEntry("__name__", "node_cpu_seconds_total");
        assertThat(one.getValue().stream().mapToLong(s -> s[0]).toArray()).isSorted();
      } else {
        assertThat(one.getValue()).hasSize(2);
      }
    }
    // Two untimed and three timed as asked, then as many with nocache=1.
    assertThat(receiver.queries).hasSize(10);
    assertThat(receiver.queries.get(0))
        .contains(
            "query=sum by (instance)"
                + " (rate(node_cpu_seconds_total{instance=~\"host-000:9100|host-001:9100\"}[5m]))")
        .contains("step=60")
        .doesNotContain("nocache");
    assertThat(receiver.queries.subList(0, 5)).containsOnly(receiver.queries.get(0));
    assertThat(receiver.queries.subList(5, 10))
        .containsOnly(receiver.queries.get(0) + "&nocache=1");
    assertThat(run.output)
        .contains("step 60s; 2 untimed first")
        .contains("query answer: 0 series and 0 points; 0 of 3 failed")
        .contains("query latency: p50 ")
        .contains("query_latency_p50_ms: ")
        .contains("query latency (nocache): p50 ")
        .contains("query_latency_nocache_p50_ms: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"prometheus", "victoriametrics"})
  void aPeerIsStartedMeasuredAndRemoved(String peer) {
    Run run =
        run(
            "--peer",
            peer,
            "--series",
            "1000",
            "--rounds",
            "2",
            "--duration",
            "5m",
            "--backfill",
            "2m",
            "--backfill-series",
            "32",
            "--query",
            "--queries",
            "2",
            "--verify");
    assertThat(run.exit).as(run.output).isZero();
    // The peer's query API gives back every sample as sent: 32 series over 2 min, then 1000 × 2;
    // VictoriaMetrics rounds some values in their last digits (it stores decimals).
    assertThat(run.output)
        .contains("verify_acknowledged_samples: " + (32 * 8 + 2000) + "\n")
        .contains("verify_missing_samples: 0\n")
        .contains("verify_wrong_samples: 0\n")
        .contains("verify_unexpected_samples: 0\n");
    if (peer.equals("prometheus")) {
      assertThat(run.output).contains("verify_rounded_samples: 0\n");
    }
    assertThat(run.output)
        .contains("peer: " + (peer.equals("prometheus") ? "prometheus " : "victoria-metrics "))
        .contains("2000 samples acknowledged")
        .contains("server_cpu_s: ")
        .contains("rss_bytes: ")
        .contains("; 0 of 2 failed");
    // The peer (and only it: other tests may run their own) is gone once the run is over.
    Matcher started = Pattern.compile("\\(pid (\\d+), port").matcher(run.output);
    assertThat(started.find()).as(run.output).isTrue();
    assertThat(ProcessHandle.of(Long.parseLong(started.group(1))).filter(ProcessHandle::isAlive))
        .isEmpty();
  }

  @Test
  void putWritesOpenTsdbPointsWithAllowedTagValues() throws IOException {
    Run run =
        run(
            "--target",
            receiver.url("/api/put"),
            "--protocol",
            "put",
            "--series",
            "600",
            "--rounds",
            "2",
            "--duration",
            "5m");
    assertThat(run.exit).as(run.output).isZero();
    assertThat(receiver.points).hasSize(1200);
    for (JsonNode point : receiver.points) {
      assertThat(point.path("metric").asText()).matches("[a-z][a-z_]*[A-Za-z0-9_]*");
      assertThat(point.path("timestamp").asLong()).isGreaterThan(1_000_000_000_000L);
      assertThat(point.path("value").isNumber()).isTrue();
      assertThat(point.path("tags").path("instance").asText()).matches("host-00[01]_9100");
      point
          .path("tags")
          .fields()
          .forEachRemaining(tag -> assertThat(tag.getValue().asText()).matches("[A-Za-z0-9_./-]+"));
    }
  }

  @Test
  void verifyNeedsAServerWithAQueryApi() {
    assertThat(run("--null-sink", "--verify", "--query-url", receiver.url("/api/v1")).output)
        .contains("--verify takes remote write to a server, not --null-sink or put");
    assertThat(run("--target", receiver.url("/api/v1/write"), "--verify").output)
        .contains("--query and --verify need --query-url or --peer");
  }

  private static Run run(String... args) {
    StringWriter text = new StringWriter();
    CommandLine command = new CommandLine(new IngestBenchmark());
    command.setOut(new PrintWriter(text, true));
    command.setErr(new PrintWriter(text, true));
    int exit = command.execute(args);
    return new Run(exit, text.toString());
  }

  private record Run(int exit, String output) {}

  /** Each sample a scrape interval (15 s, give or take the generator's jitter) after the last. */
  private static void assertOneIntervalApart(Map<String, String> labels, List<long[]> samples) {
    for (int s = 1; s < samples.size(); s++) {
      long step = samples.get(s)[0] - samples.get(s - 1)[0];
      assertThat(step).as("interval of %s", labels).isBetween(15_000L - 8, 15_000L + 8);
    }
  }

  /** A remote-write and /api/put receiver that decodes and keeps everything, and a query API. */
  private static final class Receiver {
    final HttpServer server;
    final Map<Map<String, String>, List<long[]>> series = new ConcurrentHashMap<>();
    final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    final List<JsonNode> points = new CopyOnWriteArrayList<>();
    final List<String> queries = new CopyOnWriteArrayList<>();
    volatile boolean labelOrderSorted = true;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext("/api/v1/write", this::write);
      server.createContext("/api/put", this::put);
      server.createContext("/api/v1/query_range", this::query);
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void write(HttpExchange exchange) throws IOException {
      Map<String, String> seen = new HashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> seen.put(name.toLowerCase(), values.get(0)));
      headers.add(seen);
      byte[] body = exchange.getRequestBody().readAllBytes();
      for (RemoteWriteDecoder.TimeSeries one : RemoteWriteDecoder.parse(Snappy.uncompress(body))) {
        Map<String, String> labels = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (RemoteWriteDecoder.Label label : one.labels()) {
          labels.put(label.name(), label.value());
          names.add(label.name());
        }
        if (!names.equals(names.stream().sorted().toList())) {
          labelOrderSorted = false;
        }
        List<long[]> samples = series.computeIfAbsent(labels, l -> new CopyOnWriteArrayList<>());
        for (int s = 0; s < one.timestamps().length; s++) {
          samples.add(
              new long[] {one.timestamps()[s], Double.doubleToRawLongBits(one.values()[s])});
        }
      }
      answer(exchange, 204, "");
    }

    private void put(HttpExchange exchange) throws IOException {
      for (JsonNode point : MAPPER.readTree(exchange.getRequestBody().readAllBytes())) {
        points.add(point);
      }
      answer(exchange, 204, "");
    }

    private void query(HttpExchange exchange) throws IOException {
      queries.add(
          URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
      answer(
          exchange,
          200,
          "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    }
  }
}
