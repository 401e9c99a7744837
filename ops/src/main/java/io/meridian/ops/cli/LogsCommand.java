package io.meridian.ops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian logs get|tail}: log entries through the log-excerpt API. {@code get} shows a time
 * range as a table; {@code tail} follows the log with long polling ({@code long_polling=true}),
 * printing entries as they arrive until Ctrl-C, {@code --max} entries or {@code --until}.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Log entries (log-excerpt API): a time range, or follow them as they arrive.",
    subcommands = {LogsCommand.Get.class, LogsCommand.Tail.class})
public final class LogsCommand {

  static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARN", "ERROR", "FATAL", "UNKNOWN");

  /** The filters both commands take. */
  abstract static class LogCommand extends ClientCommand {
    @Option(names = "--service", paramLabel = "<name>", description = "Only this service's.")
    String service;

    @Option(
        names = "--level",
        paramLabel = "<level>",
        description = "Only entries at least this level: DEBUG, INFO, WARN, ERROR, FATAL or 0–5.")
    String level;

    @Option(names = "--contains", paramLabel = "<text>", description = "Only entries holding it.")
    String contains;

    String range(long from, long to, boolean longPolling) {
      return ApiClient.path(
          "/v1/log_excerpts/" + from + "/" + to,
          "service",
          service,
          "level",
          level == null ? null : Integer.toString(levelNumber(level)),
          "contains",
          contains,
          "long_polling",
          longPolling ? "true" : null);
    }
  }

  static int levelNumber(String level) {
    int index = LEVELS.indexOf(level.toUpperCase(Locale.ROOT));
    if (index >= 0) {
      return index;
    }
    try {
      return Integer.parseInt(level);
    } catch (NumberFormatException e) {
      throw new CliException("Not a level: " + level + " (DEBUG, INFO, WARN, ERROR, FATAL or 0–5)");
    }
  }

  static JsonNode entry(JsonNode text) {
    try {
      return ClientCommand.JSON.readTree(text.asText());
    } catch (JsonProcessingException e) {
      return ClientCommand.JSON.createObjectNode().put("msg", text.asText());
    }
  }

  static String levelName(JsonNode entry) {
    int level = entry.path("level").asInt(5);
    return level >= 0 && level < LEVELS.size() ? LEVELS.get(level) : Integer.toString(level);
  }

  /** A simple entry's message, or a request-cycle entry's summary. */
  static String message(JsonNode entry) {
    if (entry.has("msg")) {
      return entry.path("msg").asText();
    }
    return entry.path("method").asText()
        + " "
        + entry.path("path").asText()
        + " "
        + entry.path("status").asText()
        + " "
        + entry.path("runtime").asText()
        + " ms";
  }

  static String time(JsonNode entry) {
    return Instant.ofEpochMilli(entry.path("timestamp").asLong()).toString();
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Shows the entries of a time range (from, to].")
  static final class Get extends LogCommand {
    @Parameters(index = "0", paramLabel = "FROM", description = "e.g. 1h-ago, or ms since epoch.")
    String from;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TO", description = "Default now.")
    String to;

    @Override
    int run() {
      Instant now = Instant.now();
      long start = Times.parse(from, now).toEpochMilli();
      long end = to == null ? now.toEpochMilli() : Times.parse(to, now).toEpochMilli();
      JsonNode answer = client().expectOk(ApiClient.Request.get(range(start, end, false))).json();
      if (json()) {
        printJson(answer);
        return 0;
      }
      JsonNode entries = answer.path("log_excerpt").path("entries");
      if (entries.isEmpty()) {
        out().println("No log entries.");
        out().flush();
        return 0;
      }
      Table table = new Table("Time", "Level", "Service", "Host", "Pid", "Message");
      for (JsonNode text : entries) {
        JsonNode entry = entry(text);
        table.row(
            time(entry),
            levelName(entry),
            entry.path("service").asText(),
            entry.path("ip").asText(),
            entry.path("pid").asText(),
            message(entry));
      }
      table.print(out());
      return 0;
    }
  }

  @Command(
      name = "tail",
      mixinStandardHelpOptions = true,
      description = {
        "Follows the log: prints entries as they are stored, on any node, until Ctrl-C.",
        "With --json, one entry's JSON per line."
      })
  static final class Tail extends LogCommand {
    /** Far in the future, so that a poll waits for new entries. */
    private static final long OPEN_END = 9_999_999_999_999L;

    @Parameters(
        arity = "0..1",
        paramLabel = "SERVICE",
        description = "Only this service's entries (as --service).")
    String serviceArgument;

    @Option(
        names = "--since",
        paramLabel = "<time>",
        defaultValue = "now",
        description = "Start with the entries after this time (default ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--max", paramLabel = "<n>", description = "Stop after n entries.")
    Long max;

    @Option(names = "--until", paramLabel = "<time>", description = "Stop at this time.")
    String until;

    @Override
    int run() {
      if (serviceArgument != null) {
        service = serviceArgument;
      }
      Instant now = Instant.now();
      long from = Times.parse(since, now).toEpochMilli();
      long end = until == null ? OPEN_END : Times.parse(until, now).toEpochMilli();
      long printed = 0;
      // Each poll waits up to the node's long-poll timeout (30 s) before answering empty.
      Duration pollTimeout = Duration.ofMinutes(2);
      while (max == null || printed < max) {
        if (from >= end) {
          break;
        }
        ApiResponse answer =
            client()
                .expectOk(ApiClient.Request.get(range(from, end, true)).withTimeout(pollTimeout));
        ArrayNode entries = (ArrayNode) answer.json().path("log_excerpt").path("entries");
        for (JsonNode text : entries) {
          JsonNode entry = entry(text);
          from = Math.max(from, entry.path("timestamp").asLong());
          if (json()) {
            out().println(text.asText());
          } else {
            out()
                .printf(
                    "%s %-7s %s %s[%s] %s%n",
                    time(entry),
                    levelName(entry),
                    entry.path("service").asText(),
                    entry.path("ip").asText(),
                    entry.path("pid").asText(),
                    message(entry));
          }
          out().flush();
          printed++;
          if (max != null && printed >= max) {
            break;
          }
        }
        if (entries.isEmpty() && end != OPEN_END && System.currentTimeMillis() >= end) {
          break;
        }
      }
      return 0;
    }
  }
}
