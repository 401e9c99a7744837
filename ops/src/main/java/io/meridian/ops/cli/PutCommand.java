package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian put}: writes one data point ({@code put sys.cpu 1.5 host=a}), or imports a file
 * of them in batches to {@code /api/put?details}, with progress on stderr and a summary listing the
 * points that failed and why. A batch answered 503 is sent again after its {@code Retry-After}
 * (safe: a point written twice keeps one value).
 */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a data point, or imports a file of them.",
      "One point: meridian put METRIC VALUE TAG=VALUE… [--timestamp T];",
      "a file: meridian put --file points.txt (lines 'metric ts value tag=v…' or JSON)."
    })
public final class PutCommand extends ClientCommand {

  private static final int MAX_RETRIES = 5;
  private static final int MAX_LISTED_FAILURES = 20;

  @Parameters(arity = "0..*", paramLabel = "METRIC VALUE TAG=VALUE")
  List<String> words = new ArrayList<>();

  @Option(
      names = "--timestamp",
      paramLabel = "<time>",
      description = "Of the single point (default now).")
  String timestamp;

  @Option(names = "--file", paramLabel = "<file>", description = "Imports the points of a file.")
  Path file;

  @Option(
      names = "--batch",
      defaultValue = "5000",
      paramLabel = "<n>",
      description = "Points per request when importing (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show progress on stderr (default: when stderr is a terminal).")
  Boolean progress;

  /** A point that was not stored: where it came from and why. */
  record Failure(String where, String error) {}

  @Override
  int run() throws IOException {
    if (file != null) {
      if (!words.isEmpty()) {
        throw new CliException("Give either a data point or --file, not both");
      }
      return importFile();
    }
    if (words.size() < 3) {
      throw new CliException(
          "Give a metric, a value and at least one tag: meridian put sys.cpu 1.5 host=a");
    }
    Instant now = Instant.now();
    Instant at = timestamp == null ? now : Times.parse(timestamp, now);
    PointLines.Parsed point =
        PointLines.point(
            words.get(0),
            Long.toString(at.toEpochMilli()),
            words.get(1),
            words.subList(2, words.size()).toArray(String[]::new));
    if (point.error() != null) {
      throw new CliException(point.error());
    }
    ArrayNode body = JSON.createArrayNode().add(point.point());
    ApiResponse answer = sendBatch(body);
    if (!answer.ok()) {
      throw ApiErrors.of(answer);
    }
    if (json()) {
      printJson(answer.json());
    } else {
      out().println("Stored 1 data point.");
      out().flush();
    }
    return 0;
  }

  private int importFile() throws IOException {
    if (!Files.isReadable(file)) {
      throw new CliException("Cannot read " + file);
    }
    if (batch < 1) {
      throw new CliException("--batch must be at least 1");
    }
    long total;
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      total = lines.filter(PointLines::isPoint).count();
    }
    boolean terminal = System.console() != null;
    Progress shown =
        (progress == null ? terminal : progress) ? new Progress(err(), terminal, total) : null;
    Progress timer = new Progress(err(), false, total);
    List<Failure> failures = new ArrayList<>();
    long stored = 0;
    long done = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      ArrayNode pending = JSON.createArrayNode();
      int number = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        number++;
        if (!PointLines.isPoint(line)) {
          continue;
        }
        PointLines.Parsed parsed = PointLines.parse(line);
        if (parsed.error() != null) {
          failures.add(new Failure("line " + number, parsed.error()));
          done++;
        } else {
          pending.add(parsed.point());
        }
        if (pending.size() >= batch) {
          stored += flush(pending, failures);
          done += pending.size();
          pending = JSON.createArrayNode();
          if (shown != null) {
            shown.update(done);
          }
        }
      }
      if (!pending.isEmpty()) {
        stored += flush(pending, failures);
        done += pending.size();
      }
    }
    if (shown != null) {
      shown.update(done);
      shown.finish();
    }
    summary(total, stored, failures, timer);
    return failures.isEmpty() ? 0 : 1;
  }

  /** Sends a batch; returns how many of its points were stored, adding the others to failures. */
  private long flush(ArrayNode points, List<Failure> failures) {
    ApiResponse answer = sendBatch(points);
    if (answer.status() != 200 && answer.status() != 400) {
      throw ApiErrors.of(answer);
    }
    JsonNode result = answer.json();
    if (!result.has("success")) {
      throw ApiErrors.of(answer);
    }
    for (JsonNode error : result.path("errors")) {
      failures.add(new Failure(describe(error.path("datapoint")), error.path("error").asText()));
    }
    return result.path("success").asLong();
  }

  private ApiResponse sendBatch(ArrayNode points) {
    ApiClient.Request request =
        ApiClient.Request.json("POST", "/api/put?details", points.toString());
    for (int attempt = 0; ; attempt++) {
      ApiResponse answer = client().send(request);
      if (answer.status() != 503 || attempt == MAX_RETRIES) {
        return answer;
      }
      long wait = answer.headers().firstValueAsLong("Retry-After").orElse(1);
      err().printf("The node is busy (503): retrying in %d s…%n", wait);
      err().flush();
      try {
        Thread.sleep(Duration.ofSeconds(Math.min(wait, 60)).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(503, "Interrupted while waiting to retry", answer.tag());
      }
    }
  }

  private void summary(long total, long stored, List<Failure> failures, Progress timer) {
    if (json()) {
      ObjectNode json = JSON.createObjectNode();
      json.put("total", total);
      json.put("success", stored);
      json.put("failed", failures.size());
      ArrayNode errors = json.putArray("errors");
      for (Failure failure : failures) {
        errors.addObject().put("point", failure.where()).put("error", failure.error());
      }
      printJson(json);
      return;
    }
    out()
        .printf(
            Locale.ROOT,
            "Imported %,d of %,d data points from %s in %.1f s (%,.0f points/s); %,d failed.%n",
            stored,
            total,
            file,
            timer.seconds(),
            timer.rate(stored),
            failures.size());
    if (!failures.isEmpty()) {
      Table table = new Table("Point", "Error");
      failures.stream()
          .limit(MAX_LISTED_FAILURES)
          .forEach(failure -> table.row(failure.where(), failure.error()));
      table.print(out());
      if (failures.size() > MAX_LISTED_FAILURES) {
        out()
            .printf(
                "… and %,d more (--json lists them all).%n", failures.size() - MAX_LISTED_FAILURES);
      }
    }
    out().flush();
  }

  /** A data point as a telnet-style line, for people. */
  private static String describe(JsonNode point) {
    if (!point.isObject()) {
      return point.toString();
    }
    StringBuilder text =
        new StringBuilder()
            .append(point.path("metric").asText())
            .append(' ')
            .append(point.path("timestamp").asText())
            .append(' ')
            .append(point.path("value").asText());
    point
        .path("tags")
        .fields()
        .forEachRemaining(
            t -> text.append(' ').append(t.getKey()).append('=').append(t.getValue().asText()));
    return text.toString();
  }
}
