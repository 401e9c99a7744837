package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian cluster members|leave|down}: the cluster's membership through Meridian's native
 * API ({@code /v1/cluster/members}, admin scope). {@code leave} asks a member to leave gracefully
 * (it hands its shards over first); {@code down} marks an unreachable member down so the cluster
 * moves on without it.
 */
public final class ClusterCommands {

  private ClusterCommands() {}

  /** Lists the members with their status, roles, reachability and shards. */
  @Command(
      name = "members",
      mixinStandardHelpOptions = true,
      description = "Lists the cluster's members (native API, admin scope).")
  public static final class Members extends ClientCommand {
    @Override
    int run() {
      JsonNode answer = client().expectOk(ApiClient.Request.get("/v1/cluster/members")).json();
      if (json()) {
        printJson(answer);
        return 0;
      }
      String leader = answer.path("leader").asText("");
      Table table =
          new Table("Address", "Status", "Roles", "Data center", "Reachable", "Shards (entities)");
      for (JsonNode member : answer.path("members")) {
        String address = member.path("address").asText();
        List<String> notes = new ArrayList<>();
        if (member.path("self").asBoolean()) {
          notes.add("self");
        }
        if (address.equals(leader)) {
          notes.add("leader");
        }
        List<String> roles = new ArrayList<>();
        member.path("roles").forEach(r -> roles.add(r.asText()));
        table.row(
            address + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")"),
            member.path("status").asText(),
            String.join(",", roles),
            member.path("dataCenter").asText(),
            member.path("reachable").asBoolean(true) ? "yes" : "no",
            shards(member));
      }
      table.print(out());
      return 0;
    }

    /** {@code SeriesGroup 12 (40), ScrapeCatalog 3 (3)}: the types the member hosts shards of. */
    private static String shards(JsonNode member) {
      List<String> counts = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = member.path("shards").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> type = it.next();
        if (type.getValue().asInt() > 0) {
          counts.add(
              type.getKey()
                  + " "
                  + type.getValue().asInt()
                  + " ("
                  + member.path("entities").path(type.getKey()).asInt()
                  + ")");
        }
      }
      return String.join(", ", counts);
    }
  }

  /** What {@code leave} and {@code down} share: one member, one operation. */
  abstract static class Operation extends ClientCommand {
    @Parameters(
        paramLabel = "ADDRESS",
        description = "The member's address, e.g. pekko://meridian@10.0.0.5:25520.")
    String address;

    abstract String operation();

    @Override
    int run() {
      ObjectNode body = JSON.createObjectNode().put("operation", operation());
      JsonNode answer =
          client()
              .expectOk(
                  ApiClient.Request.json(
                      "PUT", "/v1/cluster/members/" + ApiClient.encode(address), body.toString()))
              .json();
      if (json()) {
        printJson(answer);
      } else {
        out().println(answer.path("message").asText(operation() + " " + address));
        out().flush();
      }
      return 0;
    }
  }

  /** Asks a member to leave the cluster gracefully. */
  @Command(
      name = "leave",
      mixinStandardHelpOptions = true,
      description = "Asks a member to leave the cluster gracefully (its shards move first).")
  public static final class Leave extends Operation {
    @Override
    String operation() {
      return "leave";
    }
  }

  /** Marks an unreachable member down. */
  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Marks a member down (for a crashed or unreachable node).")
  public static final class Down extends Operation {
    @Override
    String operation() {
      return "down";
    }
  }
}
