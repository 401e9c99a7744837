package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian target [URL]}: shows the current target, or sets it after asking the node what it
 * is ({@code GET /v1/info}), as {@code apc target} does. The target is kept in the CLI's
 * config.json; every client command talks to it unless given {@code --target}.
 */
@Command(
    name = "target",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the current target (the node the commands talk to), or sets it.",
      "The default target is " + CliConfig.DEFAULT_TARGET + "."
    })
public final class TargetCommand extends ClientCommand {

  @Parameters(
      arity = "0..1",
      paramLabel = "URL",
      description = "The node's HTTP API, e.g. http://meridian.example.com:4242.")
  String url;

  @Override
  int run() {
    if (url == null) {
      String target = target();
      boolean loggedIn = config().credential(target).isPresent();
      if (json()) {
        ObjectNode json = JSON.createObjectNode();
        json.put("target", target);
        json.put("logged_in", loggedIn);
        printJson(json);
      } else {
        out().println("Target: " + target + (loggedIn ? " (logged in)" : ""));
      }
      return 0;
    }
    String target = normalize(url);
    ApiResponse answer = clientFor(target).send(ApiClient.Request.get("/v1/info"));
    if (answer.status() != 200 && answer.status() != 401 && answer.status() != 403) {
      throw ApiErrors.of(answer);
    }
    config().target(target);
    config().save();
    JsonNode info = answer.status() == 200 ? answer.json() : JSON.createObjectNode();
    if (json()) {
      ObjectNode json = JSON.createObjectNode();
      json.put("target", target);
      json.set("info", info);
      printJson(json);
      return 0;
    }
    if (answer.status() == 200) {
      out()
          .printf(
              "Targeted %s (Meridian %s, %s member%s, credentials %s).%n",
              target,
              info.path("version").asText(),
              info.path("members").asText(),
              info.path("members").asInt() == 1 ? "" : "s",
              info.path("auth").asText());
    } else {
      out().printf("Targeted %s (credentials enforced: run meridian login).%n", target);
    }
    out().flush();
    return 0;
  }
}
