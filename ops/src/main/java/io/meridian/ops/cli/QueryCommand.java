package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian query}: a PromQL query (instant, or over a range with {@code --start}) through
 * the Prometheus API, or with {@code --opentsdb} an OpenTSDB m-syntax query ({@code
 * sum:sys.cpu{host=*}}) through {@code /api/query}. A table shows each series with its last value;
 * {@code --json} prints the API's answer.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a PromQL query, or an OpenTSDB one with --opentsdb.",
      "PromQL: an instant query, or a range query with --start.",
      "Times: now, 1h-ago, -15m, Unix seconds or milliseconds, RFC 3339."
    })
public final class QueryCommand extends ClientCommand {

  /** Prometheus' own default resolution: about 250 points per series. */
  private static final int POINTS = 250;

  @Parameters(paramLabel = "QUERY", description = "PromQL, or OpenTSDB m-syntax with --opentsdb.")
  String query;

  @Option(
      names = "--opentsdb",
      description = "An OpenTSDB query: AGG:[rate:][DOWNSAMPLE:]METRIC[{TAGS}].")
  boolean opentsdb;

  @Option(
      names = "--start",
      paramLabel = "<time>",
      description = "Range start (PromQL: a range query; OpenTSDB default 1h-ago).")
  String start;

  @Option(names = "--end", paramLabel = "<time>", description = "Range end (default now).")
  String end;

  @Option(
      names = "--step",
      paramLabel = "<duration>",
      description = "Range step (default: the range / 250, at least 1s).")
  String step;

  @Option(
      names = "--time",
      paramLabel = "<time>",
      description = "Evaluation time of an instant PromQL query (default now).")
  String time;

  @Option(
      names = {"-p", "--project"},
      paramLabel = "<project>",
      description = "PromQL: query this project (/prometheus/projects/<project>/…).")
  String project;

  @Override
  int run() {
    Instant now = Instant.now();
    return opentsdb ? openTsdb(now) : promql(now);
  }

  private int promql(Instant now) {
    String prefix =
        project == null
            ? "/prometheus/api/v1"
            : "/prometheus/projects/" + ApiClient.encode(project) + "/api/v1";
    String path;
    if (start != null) {
      Instant from = Times.parse(start, now);
      Instant to = end == null ? now : Times.parse(end, now);
      Duration resolution =
          step != null
              ? Times.duration(step)
              : Duration.ofSeconds(Math.max(1, Duration.between(from, to).toSeconds() / POINTS));
      path =
          ApiClient.path(
              prefix + "/query_range",
              "query",
              query,
              "start",
              Times.promSeconds(from),
              "end",
              Times.promSeconds(to),
              "step",
              Times.promSeconds(Instant.ofEpochMilli(resolution.toMillis())));
    } else {
      path =
          ApiClient.path(
              prefix + "/query",
              "query",
              query,
              "time",
              Times.promSeconds(time == null ? now : Times.parse(time, now)));
    }
    JsonNode answer = client().expectOk(ApiClient.Request.get(path)).json();
    if (json()) {
      printJson(answer);
      return 0;
    }
    JsonNode data = answer.path("data");
    JsonNode result = data.path("result");
    switch (data.path("resultType").asText()) {
      case "matrix":
        {
          Table table = new Table("Series", "Points", "Last time", "Last value");
          for (JsonNode series : result) {
            JsonNode values = series.path("values");
            JsonNode last = values.path(values.size() - 1);
            table.row(
                labels(series.path("metric")),
                values.size(),
                promTime(last.path(0)),
                last.path(1).asText());
          }
          printSeries(table);
          break;
        }
      case "vector":
        {
          Table table = new Table("Series", "Time", "Value");
          for (JsonNode sample : result) {
            table.row(
                labels(sample.path("metric")),
                promTime(sample.path("value").path(0)),
                sample.path("value").path(1).asText());
          }
          printSeries(table);
          break;
        }
      default:
        new Table("Time", "Value")
            .row(promTime(result.path(0)), result.path(1).asText())
            .print(out());
    }
    return 0;
  }

  private int openTsdb(Instant now) {
    String path =
        ApiClient.path(
            "/api/query",
            "start",
            Long.toString(Times.parse(start == null ? "1h-ago" : start, now).toEpochMilli()),
            "end",
            end == null ? null : Long.toString(Times.parse(end, now).toEpochMilli()),
            "m",
            query);
    JsonNode answer = client().expectOk(ApiClient.Request.get(path)).json();
    if (json()) {
      printJson(answer);
      return 0;
    }
    Table table =
        new Table("Metric", "Tags", "Aggregated tags", "Points", "Last time", "Last value");
    for (JsonNode series : answer) {
      String lastTime = "";
      String lastValue = "";
      for (Iterator<Map.Entry<String, JsonNode>> it = series.path("dps").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> point = it.next();
        lastTime = Instant.ofEpochSecond(Long.parseLong(point.getKey())).toString();
        lastValue = point.getValue().asText();
      }
      List<String> aggregated = new ArrayList<>();
      series.path("aggregateTags").forEach(t -> aggregated.add(t.asText()));
      table.row(
          series.path("metric").asText(),
          tags(series.path("tags")),
          String.join(",", aggregated),
          series.path("dps").size(),
          lastTime,
          lastValue);
    }
    printSeries(table);
    return 0;
  }

  /** {@code name{a="1", b="2"}}, as Prometheus writes a series. */
  static String labels(JsonNode metric) {
    List<String> pairs = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      if (!label.getKey().equals("__name__")) {
        pairs.add(label.getKey() + "=\"" + label.getValue().asText() + "\"");
      }
    }
    return metric.path("__name__").asText("") + "{" + String.join(", ", pairs) + "}";
  }

  /** {@code a=1,b=2}, as OpenTSDB writes tags. */
  static String tags(JsonNode tags) {
    List<String> pairs = new ArrayList<>();
    tags.fields().forEachRemaining(t -> pairs.add(t.getKey() + "=" + t.getValue().asText()));
    return String.join(",", pairs);
  }

  private static String promTime(JsonNode seconds) {
    return Instant.ofEpochMilli(Math.round(seconds.asDouble() * 1000)).toString();
  }
}
