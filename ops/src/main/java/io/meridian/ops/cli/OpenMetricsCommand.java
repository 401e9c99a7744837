package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/**
 * What the commands of the OpenMetrics jobs API (jobs, targets, servers) share: the project, the
 * API, and printing an answer's envelope as JSON or its body as a table.
 */
abstract class OpenMetricsCommand extends ClientCommand {

  @Mixin ProjectOption project;

  OpenMetrics api() {
    return new OpenMetrics(client(), project.project);
  }

  /** The envelope as JSON with {@code --json}, else its body as the table {@code table} draws. */
  void print(JsonNode envelope, Function<JsonNode, Table> table) {
    if (json()) {
      printJson(envelope);
    } else {
      table.apply(envelope.path("body")).print(out());
    }
  }

  /** The envelope of a deletion as JSON, or {@code "<done> <body>."}, e.g. "Deleted job j1.". */
  void printDone(JsonNode envelope, String done) {
    if (json()) {
      printJson(envelope);
    } else {
      out().println(done + " " + envelope.path("body").asText() + ".");
      out().flush();
    }
  }
}
