package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian jobs list|get|create|update|delete}: a project's scrape jobs over the OpenMetrics
 * jobs API. A job is named by its id or its name; changes are recorded with this installation's
 * member id as {@code lstModifier}.
 */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "Scrape jobs of a project (OpenMetrics jobs API).",
    subcommands = {
      JobsCommand.List.class,
      JobsCommand.Get.class,
      JobsCommand.Create.class,
      JobsCommand.Update.class,
      JobsCommand.Delete.class
    })
public final class JobsCommand {

  /** What the job commands share: jobs are printed as a table of jobs. */
  abstract static class JobCommand extends OpenMetricsCommand {
    void print(JsonNode envelope) {
      print(envelope, JobsCommand::table);
    }
  }

  static Table table(JsonNode jobs) {
    Table table = new Table("Id", "Name", "Path", "Interval", "Timeout", "Description", "Modified");
    for (JsonNode job : jobs.isArray() ? jobs : ClientCommand.JSON.createArrayNode().add(jobs)) {
      table.row(
          job.path("jobId").asText(),
          job.path("jobName").asText(),
          job.path("metricsPath").asText(),
          job.path("scrapeIntervalSec").asText() + "s",
          job.path("scrapeTimeoutSec").asText() + "s",
          job.path("description").asText(),
          job.path("lstModYmdt").asText());
    }
    return table;
  }

  /** The body of a create or update: the options given, nothing else. */
  static ObjectNode body(String path, String description, Integer interval, Integer timeout) {
    ObjectNode body = ClientCommand.JSON.createObjectNode();
    if (path != null) {
      body.put("metricsPath", path);
    }
    if (description != null) {
      body.put("description", description);
    }
    if (interval != null) {
      body.put("scrapeIntervalSec", interval);
    }
    if (timeout != null) {
      body.put("scrapeTimeoutSec", timeout);
    }
    return body;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the jobs.")
  static final class List extends JobCommand {
    @Override
    int run() {
      JsonNode envelope = api().call(ApiClient.Request.get(api().path("/jobs")));
      if (!json() && envelope.path("body").isEmpty()) {
        out().println("No jobs in project " + project.project + ".");
        out().flush();
        return 0;
      }
      print(envelope);
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows a job.")
  static final class Get extends JobCommand {
    @Parameters(paramLabel = "JOB", description = "The job's id or name.")
    String job;

    @Override
    int run() {
      OpenMetrics api = api();
      print(api.call(ApiClient.Request.get(api.path("/jobs/" + api.jobId(job)))));
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a job.")
  static final class Create extends JobCommand {
    @Parameters(paramLabel = "NAME", description = "The job's name (its series' job label).")
    String name;

    @Option(names = "--path", paramLabel = "<path>", description = "Metrics path (/metrics).")
    String path;

    @Option(names = "--description", paramLabel = "<text>")
    String description;

    @Option(names = "--interval", paramLabel = "<seconds>", description = "Scrape interval.")
    Integer interval;

    @Option(names = "--timeout", paramLabel = "<seconds>", description = "Scrape timeout.")
    Integer timeout;

    @Override
    int run() {
      OpenMetrics api = api();
      ObjectNode body = body(path, description, interval, timeout);
      body.put("jobName", name);
      print(
          api.call(
              ApiClient.Request.json(
                  "POST",
                  ApiClient.path(api.path("/jobs"), "memberId", config().memberId()),
                  body.toString())));
      return 0;
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Changes a job's path, description, interval or timeout.")
  static final class Update extends JobCommand {
    @Parameters(paramLabel = "JOB", description = "The job's id or name.")
    String job;

    @Option(names = "--path", paramLabel = "<path>")
    String path;

    @Option(names = "--description", paramLabel = "<text>")
    String description;

    @Option(names = "--interval", paramLabel = "<seconds>")
    Integer interval;

    @Option(names = "--timeout", paramLabel = "<seconds>")
    Integer timeout;

    @Override
    int run() {
      ObjectNode body = body(path, description, interval, timeout);
      if (body.isEmpty()) {
        throw new CliException(
            "Nothing to change: give --path, --description, --interval or --timeout");
      }
      OpenMetrics api = api();
      print(
          api.call(
              ApiClient.Request.json(
                  "PUT",
                  ApiClient.path(
                      api.path("/jobs/" + api.jobId(job)), "memberId", config().memberId()),
                  body.toString())));
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Deletes a job and its targets (the stored series stay).")
  static final class Delete extends JobCommand {
    @Parameters(paramLabel = "JOB", description = "The job's id or name.")
    String job;

    @Override
    int run() {
      OpenMetrics api = api();
      JsonNode envelope =
          api.call(
              ApiClient.Request.delete(
                  ApiClient.path(
                      api.path("/jobs/" + api.jobId(job)), "memberId", config().memberId())));
      printDone(envelope, "Deleted job");
      return 0;
    }
  }
}
