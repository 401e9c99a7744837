package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian servers list|create|delete}: the servers a project's scrape targets point at
 * (OpenMetrics jobs API; registering and removing are Meridian's extension).
 */
@Command(
    name = "servers",
    mixinStandardHelpOptions = true,
    description = "Servers scrape targets point at (OpenMetrics jobs API).",
    subcommands = {
      ServersCommand.List.class,
      ServersCommand.Create.class,
      ServersCommand.Delete.class
    })
public final class ServersCommand {

  abstract static class ServerCommand extends OpenMetricsCommand {
    void print(JsonNode envelope) {
      print(envelope, ServersCommand::table);
    }
  }

  static Table table(JsonNode servers) {
    Table table = new Table("Id", "Name", "Address", "Instance");
    for (JsonNode server :
        servers.isArray() ? servers : ClientCommand.JSON.createArrayNode().add(servers)) {
      table.row(
          server.path("hostId").asText(),
          server.path("hostNm").asText(),
          server.path("svrIp").asText(),
          server.path("instanceId").asText(""));
    }
    return table;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the servers.")
  static final class List extends ServerCommand {
    @Override
    int run() {
      print(api().call(ApiClient.Request.get(api().path("/servers"))));
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Registers a server.")
  static final class Create extends ServerCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "ADDRESS", description = "IP address or DNS name.")
    String address;

    @Option(names = "--instance-id", paramLabel = "<id>", description = "E.g. a cloud VM id.")
    String instanceId;

    @Override
    int run() {
      ObjectNode body = JSON.createObjectNode();
      body.put("hostNm", name);
      body.put("svrIp", address);
      if (instanceId != null) {
        body.put("instanceId", instanceId);
      }
      print(api().call(ApiClient.Request.json("POST", api().path("/servers"), body.toString())));
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Removes a registered server no target uses.")
  static final class Delete extends ServerCommand {
    @Parameters(paramLabel = "SERVER", description = "The server's host id or name.")
    String server;

    @Override
    int run() {
      OpenMetrics api = api();
      JsonNode envelope =
          api.call(
              ApiClient.Request.delete(
                  api.path("/servers/" + ApiClient.encode(api.hostId(server)))));
      printDone(envelope, "Removed server");
      return 0;
    }
  }
}
