package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian series}: the series matching selectors ({@code /prometheus/api/v1/series}), or
 * with {@code --suggest} the metric names, tag keys or tag values OpenTSDB suggests ({@code
 * /api/suggest}).
 */
@Command(
    name = "series",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the series matching selectors, or OpenTSDB's name suggestions.",
      "Selectors as PromQL writes them (e.g. 'up' or '{__name__=~\"sys.*\"}'),",
      "or with --suggest metrics|tagk|tagv the names OpenTSDB suggests."
    })
public final class SeriesCommand extends ClientCommand {

  @Parameters(arity = "0..*", paramLabel = "MATCH", description = "Series selectors (match[]).")
  List<String> matches = new ArrayList<>();

  @Option(names = "--start", paramLabel = "<time>", description = "Only series with samples since.")
  String start;

  @Option(names = "--end", paramLabel = "<time>", description = "Only series with samples until.")
  String end;

  @Option(
      names = {"-p", "--project"},
      paramLabel = "<project>",
      description = "List this project's series (/prometheus/projects/<project>/…).")
  String project;

  @Option(
      names = "--suggest",
      paramLabel = "<type>",
      description = "metrics, tagk or tagv: names from OpenTSDB's /api/suggest.")
  String suggest;

  @Option(names = "--prefix", paramLabel = "<text>", description = "With --suggest: the prefix.")
  String prefix;

  @Option(names = "--max", paramLabel = "<n>", description = "With --suggest: at most n names.")
  Integer max;

  @Override
  int run() {
    return suggest != null ? suggest() : series();
  }

  private int series() {
    if (matches.isEmpty()) {
      throw new CliException("Give at least one series selector, e.g. meridian series 'up'");
    }
    Instant now = Instant.now();
    List<String> params = new ArrayList<>();
    for (String match : matches) {
      params.add("match[]");
      params.add(match);
    }
    params.addAll(
        Arrays.asList(
            "start",
            start == null ? null : Times.promSeconds(Times.parse(start, now)),
            "end",
            end == null ? null : Times.promSeconds(Times.parse(end, now))));
    String prefix =
        project == null
            ? "/prometheus/api/v1"
            : "/prometheus/projects/" + ApiClient.encode(project) + "/api/v1";
    JsonNode answer =
        client()
            .expectOk(
                ApiClient.Request.get(
                    ApiClient.path(prefix + "/series", params.toArray(String[]::new))))
            .json();
    if (json()) {
      printJson(answer);
      return 0;
    }
    Table table = new Table("Series");
    answer.path("data").forEach(series -> table.row(QueryCommand.labels(series)));
    printSeries(table);
    return 0;
  }

  private int suggest() {
    JsonNode answer =
        client()
            .expectOk(
                ApiClient.Request.get(
                    ApiClient.path(
                        "/api/suggest",
                        "type",
                        suggest,
                        "q",
                        prefix,
                        "max",
                        max == null ? null : max.toString())))
            .json();
    if (json()) {
      printJson(answer);
      return 0;
    }
    Table table = new Table(suggest.equals("metrics") ? "Metric" : suggest);
    answer.forEach(name -> table.row(name.asText()));
    printSeries(table);
    return 0;
  }
}
