package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meridian bench restart} end to end, tiny: a node of this build with its embedded Cassandra
 * set up with 200 series over a day (most of it written straight into the chunk table), restarted,
 * and read back.
 */
class RestartBenchmarkTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void setsUpRestartsAndReadsBackTheFilledData() throws Exception {
    RestartBenchmark bench = new RestartBenchmark();
    AtomicReference<String> ownCheck = new AtomicReference<>("not run");
    List<String> ownCount = new ArrayList<>();
    bench.onRestarted =
        url -> {
          try {
            ownCount.add(count(url, bench.setup()));
            ownCheck.set(compareFilledWindow(url, bench.setup()));
          } catch (Exception e) {
            ownCheck.set(e.toString());
          }
        };
    StringWriter text = new StringWriter();
    int exit =
        new CommandLine(bench)
            .setOut(new PrintWriter(text, true))
            .setErr(new PrintWriter(text, true))
            .execute(
                "--series", "200",
                "--series-per-host", "100",
                "--span", "1d",
                "--interval", "2m",
                "--seal-interval", "1s",
                "--series-per-request", "100",
                "--connections", "2",
                "--fill-threads", "1",
                "--compaction-timeout", "2m",
                "--progress", "5s");
    String output = text.toString();
    // The run's report, for reading in the surefire output when an assertion fails.
    System.out.println(output);

    assertThat(exit).as(output).isZero();
    assertThat(output)
        .contains("setup: ids of 200 series read from the journals of 16 groups")
        .contains("restart: count({__name__=~\".+\"}) = 200 after ")
        .contains("setup: Cassandra's compactions done after ")
        .contains("restart: /ready after ")
        .contains("60 of 60 samples match the generator")
        .containsPattern(
            "query_range node_cpu_seconds_total\\{instance=\"host-000:9100\"} over the last 24 h at"
                + " 60 s steps: 32 series, [0-9,]+ points \\([0-9,]+ before the heads")
        .contains("restart: RSS and CPU since the start: ")
        .doesNotContain("data kept in");
    for (String figure :
        List.of(
            "restart_ready_s",
            "restart_first_query_s",
            "restart_cassandra_start_s",
            "restart_range_query_s",
            "data_dir_bytes",
            "chunk_table_bytes",
            "fill_rows",
            "fill_s",
            "setup_compaction_s")) {
      assertThat(output).containsPattern("(?m)^" + figure + ": [0-9.]+$");
    }
    Matcher rows = Pattern.compile("(?m)^fill_rows: (\\d+)$").matcher(output);
    assertThat(rows.find()).isTrue();
    RestartBenchmark.Setup setup = bench.setup();
    assertThat(Long.parseLong(rows.group(1))).isEqualTo(setup.plan().fillRows(setup.generator()));

    // Read back by this test while the restarted node ran.
    assertThat(ownCount).containsExactly("200");
    assertThat(ownCheck.get()).isEqualTo("ok");
  }

  @Test
  void refusesADataDirectoryThatIsNoKeptSetup(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("something"), "else");
    StringWriter text = new StringWriter();
    int exit =
        new CommandLine(new RestartBenchmark())
            .setOut(new PrintWriter(text, true))
            .setErr(new PrintWriter(text, true))
            .execute("--data-dir", dir.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(text.toString()).contains("holds files but no " + RestartBenchmark.SETUP_FILE);
    assertThat(Files.list(dir).toList()).containsExactly(dir.resolve("something"));
  }

  private static String count(String url, RestartBenchmark.Setup setup) throws Exception {
    JsonNode result =
        query(url, RestartBenchmark.FULL_QUERY, setup.queryTimeMs()).path("data").path("result");
    return result.get(0).path("value").path(1).asText();
  }

  /**
   * Series 150 (on the second host) over a window about 14 h before the heads, which only the fill
   * wrote, against a fresh generator.
   */
  private static String compareFilledWindow(String url, RestartBenchmark.Setup setup)
      throws Exception {
    RestartPlan plan = setup.plan();
    NodeExporterSeries generated = setup.generator();
    int index = 150;
    long toMs = plan.headStartMs() - 6 * plan.chunkSpanMs() - 1;
    long fromMs = toMs - plan.chunkSpanMs();
    List<String> expected = new ArrayList<>();
    for (long round = 0; generated.timestamp(index, round) <= toMs; round++) {
      long timestamp = generated.timestamp(index, round);
      double value = generated.next(index, timestamp);
      if (timestamp > fromMs) {
        expected.add(timestamp + "=" + value);
      }
    }
    StringBuilder selector = new StringBuilder(generated.metric(index)).append('{');
    generated
        .labels(index)
        .forEach(
            (name, value) -> {
              if (!name.equals("__name__")) {
                selector.append(name).append("=\"").append(value).append("\",");
              }
            });
    selector.setCharAt(selector.length() - 1, '}');
    JsonNode result =
        query(url, selector + "[" + plan.chunkSpanMs() / 1000 + "s]", toMs)
            .path("data")
            .path("result");
    if (result.size() != 1) {
      return "answered " + result;
    }
    List<String> got = new ArrayList<>();
    for (JsonNode point : result.get(0).path("values")) {
      long timestamp = new BigDecimal(point.path(0).asText()).movePointRight(3).longValue();
      if (timestamp > fromMs) {
        got.add(timestamp + "=" + Double.parseDouble(point.path(1).asText()));
      }
    }
    return expected.size() == 60 && got.equals(expected)
        ? "ok"
        : "expected " + expected + ", got " + got;
  }

  private static JsonNode query(String url, String promql, long timeMs) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            url
                                + "/prometheus/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                                + "&time="
                                + BigDecimal.valueOf(timeMs, 3).toPlainString()))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return MAPPER.readTree(response.body());
  }
}
