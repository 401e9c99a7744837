package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meridian.protocol.exposition.MetricFamily;
import io.meridian.protocol.exposition.Sample;
import io.meridian.protocol.scrape.TargetHealth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes of a local JDK HTTP server standing in for an exporter. */
class ScrapeClientTest {

  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OPENMETRICS =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, Map<String, String>> requests = new ConcurrentHashMap<>();
  private ExecutorService executor;
  private HttpServer server;
  private ScrapeClient client;

  @BeforeEach
  void start() throws IOException {
    executor = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.start();
    client = new ScrapeClient("scraper-host:25520", 4096, 5);
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  private void serve(String path, Handler handler) {
    server.createContext(
        path,
        exchange -> {
          Map<String, String> headers = new ConcurrentHashMap<>();
          exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
          requests.put(path, headers);
          try {
            handler.handle(exchange);
          } catch (Exception e) {
            // The client gave up (timeout, body limit); nothing to answer.
          } finally {
            exchange.close();
          }
        });
  }

  private void serveBody(String path, String contentType, String body) {
    serve(
        path,
        exchange -> respond(exchange, 200, contentType, body.getBytes(StandardCharsets.UTF_8)));
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().add("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private ScrapeSpec spec(String path, int timeoutSec) {
    return spec(server.getAddress().getPort(), path, timeoutSec);
  }

  private static ScrapeSpec spec(int port, String path, int timeoutSec) {
    return new ScrapeSpec(
        "tenant",
        "target-1",
        "job-1",
        "node",
        "http://127.0.0.1:" + port + path,
        "127.0.0.1:" + port,
        15,
        timeoutSec);
  }

  private ScrapeOutcome scrape(ScrapeSpec spec) throws Exception {
    return client.scrape(spec).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static ScrapeOutcome.Failed failed(ScrapeOutcome outcome) {
    assertThat(outcome).isInstanceOf(ScrapeOutcome.Failed.class);
    return (ScrapeOutcome.Failed) outcome;
  }

  private static List<Sample> samples(ScrapeOutcome outcome) {
    assertThat(outcome).isInstanceOf(ScrapeOutcome.Scraped.class);
    return ((ScrapeOutcome.Scraped) outcome)
        .families().stream().map(MetricFamily::samples).flatMap(List::stream).toList();
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  @Test
  void theTextFormatIsScrapedWithPrometheusHeaders() throws Exception {
    serveBody(
        "/metrics",
        TEXT,
        "# HELP http_requests_total Requests.\n"
            + "# TYPE http_requests_total counter\n"
            + "http_requests_total{code=\"200\"} 1027\n"
            + "http_requests_total{code=\"400\"} 3 1395066363000\n");

    ScrapeOutcome outcome = scrape(spec("/metrics", 7));

    assertThat(samples(outcome))
        .extracting(Sample::name, Sample::labels, Sample::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "http_requests_total", Map.of("code", "200"), 1027.0),
            org.assertj.core.groups.Tuple.tuple("http_requests_total", Map.of("code", "400"), 3.0));
    assertThat(samples(outcome).get(1).timestampMs()).hasValue(1395066363000L);
    assertThat(((ScrapeOutcome.Scraped) outcome).samples()).isEqualTo(2);
    assertThat(outcome.health()).isEqualTo(TargetHealth.up(outcome.startMs()));
    Map<String, String> headers = requests.get("/metrics");
    assertThat(headers.get("Accept")).isEqualTo(ScrapeClient.ACCEPT);
    assertThat(headers.get("Accept-encoding")).isEqualTo("gzip");
    assertThat(headers.get("User-agent")).startsWith("Meridian/");
    assertThat(headers.get("X-prometheus-scrape-timeout-seconds")).isEqualTo("7");
    assertThat(headers.get("X-meridian-scraper")).isEqualTo("scraper-host:25520");
  }

  @Test
  void openMetricsIsParsedByItsContentTypeAndExemplarsAreIgnored() throws Exception {
    serveBody(
        "/om",
        OPENMETRICS,
        "# TYPE rpc_seconds histogram\n"
            + "rpc_seconds_bucket{le=\"0.5\"} 4 # {trace_id=\"abc\"} 0.3 1520879607.789\n"
            + "rpc_seconds_bucket{le=\"+Inf\"} 5\n"
            + "rpc_seconds_count 5\n"
            + "rpc_seconds_sum 2.5\n"
            + "# EOF\n");

    assertThat(samples(scrape(spec("/om", 5))))
        .extracting(Sample::name)
        .containsExactly(
            "rpc_seconds_bucket", "rpc_seconds_bucket", "rpc_seconds_count", "rpc_seconds_sum");
  }

  @Test
  void openMetricsWithoutEofFailsToParse() throws Exception {
    serveBody("/om", OPENMETRICS, "# TYPE up gauge\nup 1\n");

    ScrapeOutcome.Failed failed = failed(scrape(spec("/om", 5)));

    assertThat(failed.resultCd()).isEqualTo(TargetHealth.PARSE_ERROR);
    assertThat(failed.health().mntrnStatCd()).isEqualTo(TargetHealth.DOWN);
  }

  @Test
  void aGzippedBodyIsInflated() throws Exception {
    byte[] body = gzip("temperature{room=\"a\"} 21.5\n".getBytes(StandardCharsets.UTF_8));
    serve(
        "/gz",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Encoding", "gzip");
          respond(exchange, 200, TEXT, body);
        });

    assertThat(samples(scrape(spec("/gz", 5)))).extracting(Sample::value).containsExactly(21.5);
  }

  @Test
  void aStatusOtherThan200IsReportedInPrometheusWords() throws Exception {
    serve("/fail", exchange -> respond(exchange, 500, "text/plain", "boom".getBytes()));

    ScrapeOutcome.Failed failed = failed(scrape(spec("/fail", 5)));

    assertThat(failed.resultCd()).isEqualTo(TargetHealth.HTTP_STATUS);
    assertThat(failed.failReason())
        .isEqualTo("server returned HTTP status 500 Internal Server Error");
  }

  @Test
  void aRefusedConnectionIsReportedTheSameWayEachTime() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    ScrapeOutcome.Failed first = failed(scrape(spec(port, "/metrics", 5)));
    ScrapeOutcome.Failed second = failed(scrape(spec(port, "/metrics", 5)));

    assertThat(first.resultCd()).isEqualTo(TargetHealth.CONNECTION_FAILED);
    assertThat(first.failReason()).isEqualTo("connection refused");
    assertThat(second.health().sameAs(first.health())).isTrue();
  }

  @Test
  void aTargetThatDoesNotAnswerWithinTheTimeoutTimesOut() throws Exception {
    serve(
        "/slow",
        exchange -> {
          release.await();
          respond(exchange, 200, TEXT, "late 1\n".getBytes());
        });

    ScrapeOutcome.Failed failed = failed(scrape(spec("/slow", 1)));

    assertThat(failed.resultCd()).isEqualTo(TargetHealth.TIMEOUT);
    assertThat(failed.failReason()).contains("context deadline exceeded");
  }

  @Test
  void aBodyThatStallsTimesOutToo() throws Exception {
    serve(
        "/stall",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", TEXT);
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write("first 1\n".getBytes());
          out.flush();
          release.await();
        });

    ScrapeOutcome.Failed failed = failed(scrape(spec("/stall", 1)));

    assertThat(failed.resultCd()).isEqualTo(TargetHealth.TIMEOUT);
  }

  @Test
  void aBodyBeyondTheLimitFailsBeforeAndAfterInflating() throws Exception {
    byte[] large = ("# " + "x".repeat(5000) + "\nup 1\n").getBytes(StandardCharsets.UTF_8);
    byte[] zipped = gzip(large);
    assertThat(zipped.length).isLessThan(4096);
    serve("/large", exchange -> respond(exchange, 200, TEXT, large));
    serve(
        "/bomb",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Encoding", "gzip");
          respond(exchange, 200, TEXT, zipped);
        });

    for (String path : List.of("/large", "/bomb")) {
      ScrapeOutcome.Failed failed = failed(scrape(spec(path, 5)));
      assertThat(failed.resultCd()).as(path).isEqualTo(TargetHealth.LIMIT_EXCEEDED);
      assertThat(failed.failReason()).as(path).isEqualTo("body size limit exceeded");
    }
  }

  @Test
  void moreSamplesThanTheLimitFail() throws Exception {
    serveBody("/many", TEXT, "a 1\nb 2\nc 3\nd 4\ne 5\nf 6\n");

    ScrapeOutcome.Failed failed = failed(scrape(spec("/many", 5)));

    assertThat(failed.resultCd()).isEqualTo(TargetHealth.LIMIT_EXCEEDED);
    assertThat(failed.failReason()).isEqualTo("sample limit exceeded");
    assertThat(failed.samples()).isEqualTo(6);
  }

  @Test
  void anUnparsableBodyNamesTheLine() throws Exception {
    serveBody("/bad", TEXT, "good 1\nbad{ 2\n");

    ScrapeOutcome.Failed failed = failed(scrape(spec("/bad", 5)));

    assertThat(failed.resultCd()).isEqualTo(TargetHealth.PARSE_ERROR);
    assertThat(failed.failReason()).startsWith("line 2: ");
  }
}
