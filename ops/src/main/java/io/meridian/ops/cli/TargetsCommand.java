package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian targets}: without a subcommand, the clusters this CLI knows (the current target
 * and every target logged in to), as {@code apc targets}; with one, a scrape job's targets over the
 * OpenMetrics jobs API ({@code list|get|create|delete --job <job>}). The API cannot change a
 * target: delete it and create another.
 */
@Command(
    name = "targets",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the clusters this CLI knows; with a subcommand, a job's scrape targets.",
      "Without a subcommand: the clusters of meridian target and meridian login.",
      "With one: the scrape targets of a job (OpenMetrics jobs API)."
    },
    subcommands = {
      TargetsCommand.List.class,
      TargetsCommand.Get.class,
      TargetsCommand.Create.class,
      TargetsCommand.Delete.class
    })
public final class TargetsCommand extends ClientCommand {

  @Override
  int run() {
    String current = target();
    Map<String, Optional<CliConfig.Credential>> known = config().known();
    known.putIfAbsent(current, config().credential(current));
    long now = System.currentTimeMillis();
    if (json()) {
      ArrayNode json = JSON.createArrayNode();
      known.forEach(
          (url, credential) -> {
            ObjectNode item = json.addObject();
            item.put("target", url);
            item.put("current", url.equals(current));
            item.put("credential", credential.map(CliConfig.Credential::kind).orElse(null));
            item.put(
                "expires_at",
                credential
                    .map(CliConfig.Credential::expiresAtMs)
                    .map(ms -> Instant.ofEpochMilli(ms).toString())
                    .orElse(null));
          });
      printJson(json);
      return 0;
    }
    Table table = new Table("Target", "Current", "Credential", "Expires");
    known.forEach(
        (url, credential) ->
            table.row(
                url,
                url.equals(current) ? "*" : "",
                credential
                    .map(c -> c.kind().equals("key") ? "API key" : "access token")
                    .orElse("none"),
                credential
                    .filter(c -> c.expiresAtMs() != null)
                    .map(
                        c ->
                            Instant.ofEpochMilli(c.expiresAtMs())
                                + (c.expired(now) ? " (expired)" : ""))
                    .orElse("")));
    table.print(out());
    return 0;
  }

  /** What the scrape target commands share: the project, the job and the API. */
  abstract static class ScrapeTargetCommand extends OpenMetricsCommand {
    @Option(
        names = {"-j", "--job"},
        required = true,
        paramLabel = "<job>",
        description = "The job's id or name.")
    String job;

    String targetsPath(OpenMetrics api) {
      return api.path("/jobs/" + api.jobId(job) + "/targets");
    }

    void print(JsonNode envelope) {
      print(envelope, TargetsCommand::table);
    }
  }

  static Table table(JsonNode targets) {
    Table table =
        new Table("Id", "Host", "Address", "Port", "Status", "Result", "Failure", "Description");
    for (JsonNode target : targets.isArray() ? targets : JSON.createArrayNode().add(targets)) {
      table.row(
          target.path("targetId").asText(),
          target.path("hostNm").asText(""),
          target.path("svrIp").asText(""),
          target.path("port").asText(),
          target.path("mntrnStatCd").asText(""),
          target.path("resultCd").asText(""),
          target.path("failReason").asText(""),
          target.path("description").asText(""));
    }
    return table;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists a job's targets.")
  static final class List extends ScrapeTargetCommand {
    @Override
    int run() {
      OpenMetrics api = api();
      JsonNode envelope = api.call(ApiClient.Request.get(targetsPath(api)));
      if (!json() && envelope.path("body").isEmpty()) {
        out().println("Job " + job + " has no targets.");
        out().flush();
        return 0;
      }
      print(envelope);
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows a target.")
  static final class Get extends ScrapeTargetCommand {
    @Parameters(paramLabel = "TARGET_ID")
    String targetId;

    @Override
    int run() {
      OpenMetrics api = api();
      print(api.call(ApiClient.Request.get(targetsPath(api) + "/" + ApiClient.encode(targetId))));
      return 0;
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Adds a target (a port of a server) to a job; scraping starts at once.")
  static final class Create extends ScrapeTargetCommand {
    @Option(
        names = "--host",
        required = true,
        paramLabel = "<server>",
        description = "The server's host id or name (meridian servers list).")
    String host;

    @Option(names = "--port", required = true, paramLabel = "<port>")
    int port;

    @Option(names = "--description", paramLabel = "<text>")
    String description;

    @Override
    int run() {
      OpenMetrics api = api();
      ObjectNode body = JSON.createObjectNode();
      body.put("hostId", api.hostId(host));
      body.put("port", port);
      if (description != null) {
        body.put("description", description);
      }
      String path = targetsPath(api);
      JsonNode created =
          api.call(
              ApiClient.Request.json(
                  "POST", ApiClient.path(path, "memberId", config().memberId()), body.toString()));
      if (json()) {
        printJson(created);
        return 0;
      }
      String id = created.path("body").asText();
      print(api.call(ApiClient.Request.get(path + "/" + ApiClient.encode(id))));
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Removes a target (its scraping stops).")
  static final class Delete extends ScrapeTargetCommand {
    @Parameters(paramLabel = "TARGET_ID")
    String targetId;

    @Override
    int run() {
      OpenMetrics api = api();
      JsonNode envelope =
          api.call(
              ApiClient.Request.delete(
                  ApiClient.path(
                      targetsPath(api) + "/" + ApiClient.encode(targetId),
                      "memberId",
                      config().memberId())));
      printDone(envelope, "Deleted target");
      return 0;
    }
  }
}
