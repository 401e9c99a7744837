package io.meridian.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.DebianPackages;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web console in a real browser (Debian's headless Chromium, driven by playwright-core through
 * {@code http/console/e2e/console.e2e.mjs}) against a node on the real Cassandra holding three
 * series and a few log entries: PromQL and OpenTSDB queries draw exactly the loaded series, each in
 * its own colour, which the screenshot of the graph must show; a link with the page's hash draws
 * the same graph; the cluster panel lists the node as Up; the log viewer shows a range and its live
 * tail an entry posted after the tail started; the ingest panel draws the cluster's ingest rate
 * from the node's own metrics (stored every second here). The node enforces credentials, as {@code
 * meridian run} does: the page's first calls are refused, which opens the credential box, where the
 * admin credential is pasted. Screenshots go to {@code target/console-screenshots/}.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** The console's npm project: the http module's build installed playwright-core there. */
  private static final Path CONSOLE = Path.of("..", "http", "console").toAbsolutePath().normalize();

  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
  private static final List<String> HOSTS = List.of("a", "b", "c");
  private static final String SERVICE = "console-e2e";
  private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)");

  /** A line 2 px wide across the graph has thousands of pixels; anti-aliasing takes some. */
  private static final int MIN_STROKE_PIXELS = 300;

  private final String adminToken = "console-e2e-admin-" + UUID.randomUUID();
  private TestNode node;
  private JsonNode report;
  private final String tailMessage = "tailed entry " + UUID.randomUUID();

  @BeforeAll
  void loadDataAndDriveTheConsole(CassandraServer cassandra) throws Exception {
    Path chromium = DebianPackages.ensure(CHROMIUM, "chromium");
    node =
        TestNode.start(
            cassandra,
            "it_console",
            "meridian.auth.mode = enforced\nmeridian.auth.admin-token = \""
                + adminToken
                + "\"\n"
                // Its own metrics stored every second, so the ingest panel has a rate to draw.
                + "meridian.self-monitoring.enabled = on\n"
                + "meridian.self-monitoring.interval = 1s");
    Http http = new Http(node.url()).withBearer(adminToken);
    long now = System.currentTimeMillis();
    putSeries(http, now);
    long logFrom = now - 5 * 60_000;
    long logTo = logFrom + 60_000;
    postLogs(http, logFrom, logTo);
    awaitIngestRate(http);
    report = drive(chromium, node.url(), plan(chromium, logFrom, logTo));
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void pageRunsWithoutScriptErrorsOrFailedCalls() {
    assertThat(report.path("failure").asText()).isEmpty();
    assertThat(report.path("title").asText()).isEqualTo("Meridian console");
    assertThat(report.path("pageErrors")).isEmpty();
    assertThat(report.path("consoleErrors")).isEmpty();
    assertThat(report.path("failedResponses")).isEmpty();
  }

  @Test
  void refusedCallOpensTheCredentialBoxAndTheGivenCredentialIsUsed() {
    assertThat(texts(report.path("refusedBefore")))
        .isNotEmpty()
        .allMatch(s -> s.startsWith("401 "));
    JsonNode box = report.path("credentialBox");
    assertThat(box.path("reason").asText()).startsWith("Credentials required");
    assertThat(box.path("button").asText()).isEqualTo("Credential: set");
  }

  @Test
  void promqlGraphDrawsEachLoadedSeriesInItsColour() throws IOException {
    JsonNode promql = report.path("promql");
    assertThat(promql.path("state").asText()).as(promql.toString()).isEqualTo("ready");
    assertThat(texts(promql.path("legend")))
        .containsExactlyInAnyOrder(
            "console_demo{host=\"a\"}", "console_demo{host=\"b\"}", "console_demo{host=\"c\"}");
    assertThat(texts(promql.path("hoverValues"))).allMatch(value -> value.matches("\\d+"));
    assertStrokesDrawn(promql);
  }

  @Test
  void openTsdbGraphDrawsEachLoadedSeriesInItsColour() throws IOException {
    JsonNode openTsdb = report.path("opentsdb");
    assertThat(openTsdb.path("state").asText()).as(openTsdb.toString()).isEqualTo("ready");
    assertThat(texts(openTsdb.path("legend")))
        .containsExactlyInAnyOrder(
            "console_demo{host=a}", "console_demo{host=b}", "console_demo{host=c}");
    assertStrokesDrawn(openTsdb);
  }

  @Test
  void linkWithTheQueryInItsHashDrawsTheSameGraph() {
    assertThat(report.path("promql").path("hash").asText())
        .startsWith("#mode=promql&expr=console_demo");
    assertThat(texts(report.path("link").path("legend")))
        .isEqualTo(texts(report.path("promql").path("legend")));
  }

  @Test
  void clusterPanelListsTheNodeAsUp() {
    JsonNode cluster = report.path("cluster");
    assertThat(cluster.path("state").asText()).as(cluster.toString()).isEqualTo("ready");
    assertThat(cluster.path("rows")).hasSize(1);
    JsonNode member = cluster.path("rows").path(0);
    assertThat(member.path("status").asText()).isEqualTo("Up");
    assertThat(member.path("reachable").asText()).isEqualTo("yes");
    assertThat(member.path("address").asText()).startsWith("pekko://meridian@");
    assertThat(cluster.path("status").asText()).startsWith("1 member, all Up and reachable");
  }

  @Test
  void ingestPanelDrawsTheClusterIngestRate() {
    assertThat(report.path("ingest").asText()).matches("now [0-9]+\\.[0-9] samples/s");
    assertThat(Double.parseDouble(report.path("ingest").asText().split(" ")[1])).isPositive();
  }

  @Test
  void logViewerShowsARangeAndTailsAnEntryPostedAfterTheTailStarted() {
    JsonNode logs = report.path("logs");
    assertThat(texts(logs.path("range"))).as(logs.toString()).containsExactly("first", "second");
    assertThat(texts(logs.path("beforePost"))).isEmpty();
    assertThat(logs.path("postStatus").asInt()).isEqualTo(204);
    assertThat(texts(logs.path("tail"))).as(logs.toString()).containsExactly(tailMessage);
    assertThat(logs.path("tailState").asText()).isEqualTo("tailing");
    assertThat(logs.path("afterStop").asText()).isEqualTo("idle");
  }

  /** Each series' stroke colour, as its legend marker shows it, is drawn on the graph's canvas. */
  private static void assertStrokesDrawn(JsonNode graph) throws IOException {
    BufferedImage canvas = ImageIO.read(new File(graph.path("canvasPng").asText()));
    List<String> colors = texts(graph.path("colors"));
    assertThat(colors).hasSize(HOSTS.size()).doesNotHaveDuplicates();
    for (String color : colors) {
      assertThat(pixelsNear(canvas, rgb(color)))
          .as("pixels of %s in %s", color, graph.path("canvasPng").asText())
          .isGreaterThanOrEqualTo(MIN_STROKE_PIXELS);
    }
  }

  private static int pixelsNear(BufferedImage image, int[] rgb) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int pixel = image.getRGB(x, y);
        int distance =
            Math.abs(((pixel >> 16) & 0xff) - rgb[0])
                + Math.abs(((pixel >> 8) & 0xff) - rgb[1])
                + Math.abs((pixel & 0xff) - rgb[2]);
        if (distance <= 24) {
          count++;
        }
      }
    }
    return count;
  }

  private static int[] rgb(String css) {
    Matcher matcher = RGB.matcher(css);
    assertThat(matcher.find()).as("a CSS rgb() colour: %s", css).isTrue();
    return new int[] {
      Integer.parseInt(matcher.group(1)),
      Integer.parseInt(matcher.group(2)),
      Integer.parseInt(matcher.group(3))
    };
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  /**
   * Three series of {@code console_demo}, one per host, a point every 30 s over the last 50
   * minutes: flat at 10, 20 and 30, each 5 higher in the second half, so that the graph's strokes
   * are mostly horizontal runs of their exact colour.
   */
  /**
   * Writes a point a second until the node's stored self-monitoring shows a positive ingest rate
   * (the counter must grow between two of its snapshots), as the console's panel asks for it.
   */
  private static void awaitIngestRate(Http http) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    Await.until(
        "a positive ingest rate in project internal",
        Duration.ofSeconds(90),
        () -> {
          long now = System.currentTimeMillis() / 1000;
          http.post(
              "/api/put",
              "{\"metric\":\"console_ingest\",\"timestamp\":"
                  + now
                  + ",\"value\":1,\"tags\":{\"host\":\"a\"}}");
          JsonNode result =
              http.get(
                      "/prometheus/projects/internal/api/v1/query?query="
                          + URLEncoder.encode(
                              "sum(rate(meridian_samples_ingested_total[1m]))",
                              StandardCharsets.UTF_8))
                  .json()
                  .path("data")
                  .path("result");
          last.set(result);
          return result.size() == 1
              && Double.parseDouble(result.get(0).path("value").get(1).asText()) > 0;
        },
        () -> String.valueOf(last.get()));
  }

  private static void putSeries(Http http, long now) {
    ArrayNode points = MAPPER.createArrayNode();
    long end = now / 1000 - 60;
    long start = end - 50 * 60;
    for (int h = 0; h < HOSTS.size(); h++) {
      for (long t = start; t <= end; t += 30) {
        ObjectNode point = points.addObject();
        point.put("metric", "console_demo");
        point.put("timestamp", t);
        point.put("value", (h + 1) * 10 + (t > (start + end) / 2 ? 5 : 0));
        point.putObject("tags").put("host", HOSTS.get(h));
      }
    }
    Http.Response put =
        onceStoreIsReady("the series stored", () -> http.post("/api/put", points.toString()));
    assertThat(put.status()).as(put.body()).isEqualTo(204);
    AtomicReference<Http.Response> query = new AtomicReference<>();
    Await.until(
        "the three series queryable",
        Duration.ofSeconds(60),
        () -> {
          query.set(
              http.get(
                  "/prometheus/api/v1/query_range?query=console_demo&start="
                      + start
                      + "&end="
                      + end
                      + "&step=60"));
          return query.get().status() == 200
              && query.get().json().path("data").path("result").size() == HOSTS.size();
        },
        () -> query.get().status() + " " + query.get().body());
  }

  /** Two entries of {@value #SERVICE}, "first" and "second", at {@code from} and {@code to}. */
  private static void postLogs(Http http, long from, long to) {
    String entries = "[" + logEntry("first", from, 1) + "," + logEntry("second", to, 3) + "]";
    Http.Response posted =
        onceStoreIsReady("log entries stored", () -> http.post("/v1/log_excerpts", entries));
    assertThat(posted.status()).as(posted.body()).isEqualTo(204);
  }

  private static ObjectNode logEntry(String msg, long timestamp, int level) {
    ObjectNode entry = MAPPER.createObjectNode();
    if (timestamp > 0) {
      entry.put("timestamp", timestamp);
    }
    return entry
        .put("ip", "10.1.2.3")
        .put("pid", 4242)
        .put("service", SERVICE)
        .put("level", level)
        .put("msg", msg);
  }

  /** What the script does: the queries to type, the log range to show, the entry to tail. */
  private ObjectNode plan(Path chromium, long logFrom, long logTo) {
    ObjectNode plan = MAPPER.createObjectNode();
    plan.put("chromium", chromium.toString());
    plan.put("credential", adminToken);
    plan.putObject("promql").put("expr", "console_demo").put("project", "");
    plan.putObject("opentsdb").put("expr", "sum:console_demo{host=*}");
    ObjectNode logs = plan.putObject("logs");
    logs.put("from", logFrom - 1).put("to", logTo);
    logs.set("tailEntry", logEntry(tailMessage, 0, 2));
    return plan;
  }

  /** Runs the browser script and returns its report; fails with its output if it breaks. */
  private static JsonNode drive(Path chromium, String baseUrl, ObjectNode plan) throws Exception {
    assertThat(CONSOLE.resolve("node_modules/playwright-core"))
        .as("playwright-core is installed by the http module's build (mvn -pl ops -am …)")
        .isDirectory();
    Files.createDirectories(SCREENSHOTS);
    Path planFile = SCREENSHOTS.resolve("plan.json");
    Files.writeString(planFile, plan.toString());
    Path out = SCREENSHOTS.resolve("script.out");
    Path err = SCREENSHOTS.resolve("script.err");
    Process script =
        new ProcessBuilder(
                "node", "e2e/console.e2e.mjs", baseUrl, SCREENSHOTS.toString(), planFile.toString())
            .directory(CONSOLE.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!script.waitFor(5, TimeUnit.MINUTES)) {
        throw new AssertionError("the browser script did not finish in 5 minutes: " + read(err));
      }
    } finally {
      // Chromium is the script's child: end it too should the script have hung.
      script.descendants().forEach(ProcessHandle::destroyForcibly);
      script.destroyForcibly();
    }
    assertThat(script.exitValue()).as(read(err)).isZero();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).as(read(err)).isNotEmpty();
    return MAPPER.readTree(lines.get(lines.size() - 1));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** A request to a node that may have just started and answers 503 until its store is ready. */
  private static Http.Response onceStoreIsReady(String what, Supplier<Http.Response> request) {
    return Http.untilAvailable(what, Duration.ofSeconds(60), request);
  }
}
