package io.meridian.http.prometheus;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.RemoteWritePayload;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Replays, over real HTTP, the requests Grafana's Prometheus data source sends to its URL when a
 * user adds it as the seed's guide says (URL {@code https://host/prometheus}, custom header {@code
 * x-tc-app-key}), presses "Save &amp; test", browses metrics and draws a time-series panel, and
 * checks every answer is one Grafana accepts.
 *
 * <p>The sequence is Grafana 10.x's (the same in 9.4+ unless noted), read from grafana/grafana:
 *
 * <ul>
 *   <li>"Save &amp; test": {@code pkg/tsdb/prometheus/healthcheck.go} runs the instant query {@code
 *       1+1} over the time range 1s..4s, which {@code client/client.go} ({@code QueryInstant},
 *       {@code createQueryRequest}) sends as {@code POST api/v1/query} with the form body {@code
 *       query=1%2B1&time=4} and {@code Content-Type: application/x-www-form-urlencoded}; the method
 *       is the data source's "HTTP method", POST unless set to GET ({@code client/provider.go}).
 *       {@code heuristics.go} then reads {@code GET api/v1/status/buildinfo}: no {@code features}
 *       makes it a Prometheus (not Mimir), and its version (stored as "Prometheus version") turns
 *       on the {@code match[]} label APIs from 2.24 ({@code hasLabelsMatchAPISupport}).
 *   <li>Opening the editor: {@code datasource.ts} {@code areExemplarsAvailable} probes {@code
 *       api/v1/query_exemplars} with {@code query=test} and start/end in <em>milliseconds</em>, and
 *       {@code loadRules} reads {@code GET api/v1/rules} for recording rules; Grafana's alert list
 *       ({@code features/alerting/unified/api/prometheus.ts} {@code fetchRules}) reads it too.
 *   <li>Metrics browser: {@code language_provider.ts} {@code fetchLabels} ({@code api/v1/labels},
 *       configured method), {@code fetchLabelValues} ({@code api/v1/label/<name>/values}, always
 *       GET), {@code loadMetricsMetadata} ({@code GET api/v1/metadata}), {@code
 *       fetchSeriesLabelsMatch} and {@code fetchSeriesValuesWithMatch} (the same with {@code
 *       match[]}), {@code fetchSeriesLabels} ({@code api/v1/series} with {@code limit=40000});
 *       {@code datasource.ts} {@code metadataRequest} sends {@code labels} and {@code series} with
 *       the configured method and the others with GET, all with {@code start}/{@code end} in
 *       seconds.
 *   <li>Panel: {@code client.go} {@code QueryRange} posts {@code query}, {@code start}, {@code end}
 *       (aligned to the step) and {@code step} in seconds.
 * </ul>
 *
 * <p>Grafana's backend is a Go client: it sends the custom header canonicalized as {@code
 * X-Tc-App-Key} and {@code User-Agent: Grafana/<version>}. Each sequence runs under {@code
 * /prometheus} (the seed's URL) and {@code /api/v1} directly (a data source URL without the
 * prefix).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDataSourceTest {

  private static final String APP_KEY = "grafana-appkey";

  /** The fixed "now" of the test, on the 15 s sample grid and on Grafana's 60 s step grid. */
  private static final long NOW = 1_700_000_100L;

  private static final long HOUR_AGO = NOW - 3600;

  private static final List<String> PREFIXES = List.of("/prometheus", "");

  private static final String FORM = "application/x-www-form-urlencoded";

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node =
        InMemoryNode.start(
            "GrafanaDataSourceTest",
            "meridian.projects.appkeys { \"" + APP_KEY + "\" = grafana-project }\n");
    // An hour of samples every 15 s: two counters (+1.5 and +3 per scrape, i.e. 0.1/s and 0.2/s)
    // and three constant gauges in two jobs.
    int samples = 241;
    long[] timestamps = new long[samples];
    double[] slowCounter = new double[samples];
    double[] fastCounter = new double[samples];
    for (int i = 0; i < samples; i++) {
      timestamps[i] = (HOUR_AGO + 15L * i) * 1000;
      slowCounter[i] = 1000 + 1.5 * i;
      fastCounter[i] = 5000 + 3.0 * i;
    }
    var written =
        node.send(
            new RemoteWritePayload()
                .series(
                    timestamps,
                    slowCounter,
                    "__name__",
                    "http_requests_total",
                    "job",
                    "api",
                    "instance",
                    "h1:9100")
                .series(
                    timestamps,
                    fastCounter,
                    "__name__",
                    "http_requests_total",
                    "job",
                    "api",
                    "instance",
                    "h2:9100")
                .series(
                    timestamps,
                    constant(samples, 100),
                    "__name__",
                    "memory_usage_bytes",
                    "job",
                    "api",
                    "instance",
                    "h1:9100")
                .series(
                    timestamps,
                    constant(samples, 200),
                    "__name__",
                    "memory_usage_bytes",
                    "job",
                    "api",
                    "instance",
                    "h2:9100")
                .series(
                    timestamps,
                    constant(samples, 50),
                    "__name__",
                    "memory_usage_bytes",
                    "job",
                    "node",
                    "instance",
                    "h3:9100")
                .post(node.uri("/prometheus/api/v1/write"), "X-TC-APP-KEY", APP_KEY));
    assertThat(written.statusCode()).as(written.body()).isEqualTo(204);
  }

  private static double[] constant(int count, double value) {
    double[] values = new double[count];
    Arrays.fill(values, value);
    return values;
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  void saveAndTestsInstantQueryAnswersTheScalarTwo() {
    for (String prefix : PREFIXES) {
      JsonNode posted = success(grafanaPost(prefix + "/api/v1/query", "query", "1+1", "time", "4"));
      assertThat(posted.get("resultType").asText()).isEqualTo("scalar");
      assertThat(posted.get("result").get(0).asLong()).isEqualTo(4);
      assertThat(posted.get("result").get(1).asText()).isEqualTo("2");

      JsonNode got = success(grafanaGet(prefix + "/api/v1/query", "query", "1+1", "time", "4"));
      assertThat(got).isEqualTo(posted);
    }
  }

  @Test
  void saveAndTestsBuildInfoMakesGrafanaSeeAPrometheusWithTheLabelsMatchApi() {
    for (String prefix : PREFIXES) {
      JsonNode build = success(grafanaGet(prefix + "/api/v1/status/buildinfo"));
      String[] version = build.get("version").asText().split("\\.");
      assertThat(Integer.parseInt(version[0])).isEqualTo(2);
      // Grafana enables match[] on labels and label values from Prometheus 2.24.
      assertThat(Integer.parseInt(version[1])).isGreaterThanOrEqualTo(24);
      // Build info with features is Mimir's, whose ruler Grafana would then call.
      assertThat(build.has("features")).isFalse();
    }
  }

  @Test
  void saveAndTestWithoutTheAppKeyOrWithAWrongOneShowsPrometheusUnauthorizedError() {
    for (String prefix : PREFIXES) {
      String form = form("query", "1+1", "time", "4");
      var missing =
          node.send(
              "POST",
              prefix + "/api/v1/query",
              form,
              "User-Agent",
              "Grafana/10.4.2",
              "Content-Type",
              FORM);
      var wrong =
          node.send(
              "POST",
              prefix + "/api/v1/query",
              form,
              "User-Agent",
              "Grafana/10.4.2",
              "X-Tc-App-Key",
              "not-the-key",
              "Content-Type",
              FORM);
      var buildInfo =
          node.send("GET", prefix + "/api/v1/status/buildinfo", null, "X-Tc-App-Key", "nope");
      for (var response : List.of(missing, wrong, buildInfo)) {
        assertThat(response.statusCode()).as(prefix + " " + response.body()).isEqualTo(401);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("errorType").asText()).isEqualTo("unauthorized");
        assertThat(body.get("error").asText()).contains("X-TC-APP-KEY");
      }
    }
  }

  @Test
  void theHeaderIsAcceptedInAnyCaseAsTheGuideTellsUsersToTypeIt() {
    var lowerCase =
        node.send(
            "POST",
            "/prometheus/api/v1/query",
            form("query", "1+1", "time", "4"),
            "x-tc-app-key",
            APP_KEY,
            "Content-Type",
            FORM);
    assertThat(lowerCase.statusCode()).as(lowerCase.body()).isEqualTo(200);
  }

  @Test
  void theEditorsExemplarProbeWithMillisecondTimesSucceeds() {
    long nowMs = NOW * 1000;
    for (String prefix : PREFIXES) {
      JsonNode probe =
          success(
              grafanaPost(
                  prefix + "/api/v1/query_exemplars",
                  "query",
                  "test",
                  "start",
                  Long.toString(nowMs - 30 * 60_000),
                  "end",
                  Long.toString(nowMs)));
      assertThat(probe.isArray()).isTrue();
    }
  }

  @Test
  void recordingRuleLookupAndAlertListFindNoRules() {
    for (String prefix : PREFIXES) {
      // datasource.ts loadRules when the data source is opened, and the alert list page (which
      // shows "404 from rule state endpoint" for a data source without this endpoint).
      JsonNode rules = success(grafanaGet(prefix + "/api/v1/rules"));
      assertThat(rules.get("groups").isArray()).isTrue();
      assertThat(rules.get("groups")).isEmpty();
    }
  }

  @Test
  void metricsBrowserListsLabelNamesMetricNamesAndValues() {
    for (String prefix : PREFIXES) {
      String[] range = {"start", Long.toString(HOUR_AGO), "end", Long.toString(NOW)};

      assertThat(texts(success(grafanaPost(prefix + "/api/v1/labels", range))))
          .containsExactly("__name__", "instance", "job");
      assertThat(texts(success(grafanaGet(prefix + "/api/v1/label/__name__/values", range))))
          .containsExactly("http_requests_total", "memory_usage_bytes");
      assertThat(success(grafanaGet(prefix + "/api/v1/metadata")).isObject()).isTrue();
      assertThat(texts(success(grafanaGet(prefix + "/api/v1/label/job/values", range))))
          .containsExactly("api", "node");

      String[] gaugesOfApi = with(range, "match[]", "memory_usage_bytes{job=\"api\"}");
      assertThat(texts(success(grafanaPost(prefix + "/api/v1/labels", gaugesOfApi))))
          .containsExactly("__name__", "instance", "job");
      assertThat(texts(success(grafanaGet(prefix + "/api/v1/label/instance/values", gaugesOfApi))))
          .containsExactly("h1:9100", "h2:9100");
      String[] nodeJob = with(range, "match[]", "{__name__=\"memory_usage_bytes\",job=\"node\"}");
      assertThat(texts(success(grafanaGet(prefix + "/api/v1/label/instance/values", nodeJob))))
          .containsExactly("h3:9100");
    }
  }

  @Test
  void metricsBrowserSeriesLookupsAnswerTheLabelSets() {
    for (String prefix : PREFIXES) {
      String[] counters = {
        "start",
        Long.toString(HOUR_AGO),
        "end",
        Long.toString(NOW),
        "match[]",
        "http_requests_total{job=\"api\"}",
        "limit",
        "40000"
      };
      assertThat(success(grafanaPost(prefix + "/api/v1/series", counters)))
          .containsExactly(
              labels("__name__", "http_requests_total", "instance", "h1:9100", "job", "api"),
              labels("__name__", "http_requests_total", "instance", "h2:9100", "job", "api"));

      String[] everything = {
        "start", Long.toString(HOUR_AGO), "end", Long.toString(NOW), "match[]", "{__name__!=\"\"}"
      };
      assertThat(success(grafanaGet(prefix + "/api/v1/series", everything))).hasSize(5);
    }
  }

  @Test
  void rangePanelDrawsTheRateOfTheCounters() {
    for (String prefix : PREFIXES) {
      JsonNode data =
          success(
              grafanaPost(
                  prefix + "/api/v1/query_range",
                  "query",
                  "rate(http_requests_total[5m])",
                  "start",
                  Long.toString(HOUR_AGO),
                  "end",
                  Long.toString(NOW),
                  "step",
                  "15"));
      assertThat(data.get("resultType").asText()).isEqualTo("matrix");
      JsonNode result = data.get("result");
      assertThat(result).hasSize(2);
      assertThat(result.get(0).get("metric"))
          .isEqualTo(labels("instance", "h1:9100", "job", "api"));
      assertThat(result.get(1).get("metric"))
          .isEqualTo(labels("instance", "h2:9100", "job", "api"));
      for (int series = 0; series < 2; series++) {
        JsonNode values = result.get(series).get("values");
        // The first step has one sample in its window, so no rate; every later step has one.
        assertThat(values).hasSize(240);
        assertThat(values.get(0).get(0).asLong()).isEqualTo(HOUR_AGO + 15);
        assertThat(values.get(239).get(0).asLong()).isEqualTo(NOW);
        double perSecond = series == 0 ? 0.1 : 0.2;
        for (JsonNode point : values) {
          if (point.get(0).asLong() >= HOUR_AGO + 300) {
            assertThat(Double.parseDouble(point.get(1).asText()))
                .as(point.toString())
                .isCloseTo(perSecond, within(1e-9));
          }
        }
      }
    }
  }

  @Test
  void rangePanelDrawsTheGaugesSummedByJob() {
    for (String prefix : PREFIXES) {
      for (boolean post : new boolean[] {true, false}) {
        String[] params = {
          "query",
          "sum by (job) (memory_usage_bytes)",
          "start",
          Long.toString(NOW - 1800),
          "end",
          Long.toString(NOW),
          "step",
          "60"
        };
        String path = prefix + "/api/v1/query_range";
        JsonNode data = success(post ? grafanaPost(path, params) : grafanaGet(path, params));
        assertThat(data.get("resultType").asText()).isEqualTo("matrix");
        JsonNode result = data.get("result");
        assertThat(result).hasSize(2);
        assertThat(result.get(0).get("metric")).isEqualTo(labels("job", "api"));
        assertThat(result.get(1).get("metric")).isEqualTo(labels("job", "node"));
        for (int series = 0; series < 2; series++) {
          JsonNode values = result.get(series).get("values");
          assertThat(values).hasSize(31);
          for (int i = 0; i < 31; i++) {
            assertThat(values.get(i).get(0).asLong()).isEqualTo(NOW - 1800 + 60L * i);
            assertThat(values.get(i).get(1).asText()).isEqualTo(series == 0 ? "300" : "50");
          }
        }
      }
    }
  }

  @Test
  void grafana9sQueryWithParametersInBothUrlAndBodyIsAnsweredOnce() {
    // Grafana 9.0-9.3 put the parameters of a posted range query in the URL as well as the body.
    String query =
        form(
            "query",
            "sum by (job) (memory_usage_bytes)",
            "start",
            Long.toString(NOW - 60),
            "end",
            Long.toString(NOW),
            "step",
            "60");
    JsonNode data =
        success(
            node.send(
                "POST",
                "/prometheus/api/v1/query_range?" + query,
                query,
                "User-Agent",
                "Grafana/9.3.6",
                "X-Tc-App-Key",
                APP_KEY,
                "Content-Type",
                FORM));
    assertThat(data.get("result")).hasSize(2);
    assertThat(data.get("result").get(0).get("values")).hasSize(2);
  }

  /** A POST as Grafana's Go client sends it: the parameters as a form body. */
  private HttpResponse<String> grafanaPost(String path, String... params) {
    return node.send(
        "POST",
        path,
        form(params),
        "User-Agent",
        "Grafana/10.4.2",
        "X-Tc-App-Key",
        APP_KEY,
        "Content-Type",
        FORM);
  }

  /** A GET as Grafana sends it: the parameters in the URL, encoded by the browser. */
  private HttpResponse<String> grafanaGet(String path, String... params) {
    StringBuilder url = new StringBuilder(path);
    for (int i = 0; i < params.length; i += 2) {
      url.append(i == 0 ? '?' : '&')
          .append(uriComponent(params[i]))
          .append('=')
          .append(uriComponent(params[i + 1]));
    }
    return node.send(
        "GET", url.toString(), null, "User-Agent", "Grafana/10.4.2", "X-Tc-App-Key", APP_KEY);
  }

  /** Go's {@code url.Values.Encode}: keys sorted, values in order, spaces as {@code +}. */
  private static String form(String... params) {
    Map<String, List<String>> values = new TreeMap<>();
    for (int i = 0; i < params.length; i += 2) {
      values.computeIfAbsent(params[i], name -> new ArrayList<>()).add(params[i + 1]);
    }
    return values.entrySet().stream()
        .flatMap(
            entry ->
                entry.getValue().stream()
                    .map(
                        value ->
                            URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)
                                + "="
                                + URLEncoder.encode(value, StandardCharsets.UTF_8)))
        .collect(Collectors.joining("&"));
  }

  /** JavaScript's {@code encodeURIComponent}, close enough for these parameters. */
  private static String uriComponent(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String[] with(String[] params, String... more) {
    String[] all = Arrays.copyOf(params, params.length + more.length);
    System.arraycopy(more, 0, all, params.length, more.length);
    return all;
  }

  private static JsonNode success(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("status").asText()).isEqualTo("success");
    return body.get("data");
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(value -> texts.add(value.asText()));
    return texts;
  }

  private static JsonNode labels(String... pairs) {
    var object = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < pairs.length; i += 2) {
      object.put(pairs[i], pairs[i + 1]);
    }
    return object;
  }
}
