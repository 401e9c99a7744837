package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian tokens list|create|rotate|revoke}: the cluster's credentials over Meridian's own
 * API: API keys ({@code /v1/keys}) and OAuth 2 clients ({@code /v1/clients}); {@code revoke}
 * deletes a key or a client, or revokes one access token ({@code /v1/oauth2/revoke}). Needs the
 * admin scope.
 */
@Command(
    name = "tokens",
    mixinStandardHelpOptions = true,
    description = "API keys, OAuth 2 clients and access tokens (admin scope).",
    subcommands = {
      TokensCommand.List.class,
      TokensCommand.Create.class,
      TokensCommand.Rotate.class,
      TokensCommand.Revoke.class
    })
public final class TokensCommand {

  private static final String CLIENT_PREFIX = "mc_";

  /** The collection of a credential id: clients are {@code mc_…}, keys {@code key_…}. */
  static String collection(String id) {
    return id.startsWith(CLIENT_PREFIX) ? "/v1/clients/" : "/v1/keys/";
  }

  static void row(Table table, String kind, JsonNode credential) {
    table.row(
        kind,
        credential.has("client_id")
            ? credential.path("client_id").asText()
            : credential.path("id").asText(),
        credential.path("project").asText(),
        String.join(
            ",", ClientCommand.JSON.convertValue(credential.path("scopes"), String[].class)),
        credential.path("description").asText(),
        credential.path("created_at").asText(),
        credential.path("rotated_at").asText());
  }

  static Table table() {
    return new Table("Kind", "Id", "Project", "Scopes", "Description", "Created", "Rotated");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists API keys and OAuth 2 clients (never their secrets).")
  static final class List extends ClientCommand {
    @Option(
        names = {"-p", "--project"},
        paramLabel = "<project>",
        description = "Only this project's (default: every project the credential administers).")
    String project;

    @Option(names = "--keys", description = "Only API keys.")
    boolean keysOnly;

    @Option(names = "--clients", description = "Only OAuth 2 clients.")
    boolean clientsOnly;

    @Override
    int run() {
      ArrayNode keys = JSON.createArrayNode();
      ArrayNode clients = JSON.createArrayNode();
      if (!clientsOnly) {
        keys = (ArrayNode) fetch("/v1/keys");
      }
      if (!keysOnly) {
        clients = (ArrayNode) fetch("/v1/clients");
      }
      if (json()) {
        ObjectNode json = JSON.createObjectNode();
        json.set("keys", keys);
        json.set("clients", clients);
        printJson(json);
        return 0;
      }
      Table table = table();
      keys.forEach(key -> row(table, "key", key));
      clients.forEach(client -> row(table, "client", client));
      table.print(out());
      return 0;
    }

    private JsonNode fetch(String path) {
      return client()
          .expectOk(ApiClient.Request.get(ApiClient.path(path, "project", project)))
          .json();
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Creates an API key (or with --client an OAuth 2 client); shows its secret once.")
  static final class Create extends ClientCommand {
    @Option(
        names = {"-p", "--project"},
        paramLabel = "<project>",
        description = "The project (* for every project); default: the credential's own.")
    String project;

    @Option(
        names = "--scopes",
        required = true,
        split = ",",
        paramLabel = "<scope>",
        description = "read, write, admin (comma-separated).")
    java.util.List<String> scopes;

    @Option(names = "--description", paramLabel = "<text>")
    String description;

    @Option(names = "--client", description = "An OAuth 2 client instead of an API key.")
    boolean oauthClient;

    @Override
    int run() {
      ObjectNode body = JSON.createObjectNode();
      if (project != null) {
        body.put("project", project);
      }
      ArrayNode scopeList = body.putArray("scopes");
      scopes.forEach(scopeList::add);
      if (description != null) {
        body.put("description", description);
      }
      JsonNode created =
          client()
              .expectOk(
                  ApiClient.Request.json(
                      "POST", oauthClient ? "/v1/clients" : "/v1/keys", body.toString()))
              .json();
      printCreated(this, created, oauthClient);
      return 0;
    }
  }

  /** Shows a new secret: the only time it is shown. */
  static void printCreated(ClientCommand command, JsonNode created, boolean client) {
    if (command.json()) {
      command.printJson(created);
      return;
    }
    Table table = new Table("Kind", "Id", "Secret", "Project", "Scopes");
    table.row(
        client ? "client" : "key",
        created.path(client ? "client_id" : "id").asText(),
        created.path(client ? "client_secret" : "key").asText(),
        created.path("project").asText(),
        String.join(",", ClientCommand.JSON.convertValue(created.path("scopes"), String[].class)));
    table.print(command.out());
    command.out().println("The secret is shown only now: store it safely.");
    command.out().flush();
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Gives a key or client a new secret; the old one stops working at once.")
  static final class Rotate extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "key_… or mc_…")
    String id;

    @Override
    int run() {
      JsonNode rotated =
          client()
              .expectOk(
                  new ApiClient.Request(
                      "POST",
                      collection(id) + ApiClient.encode(id) + "/rotate",
                      "application/json",
                      "",
                      Map.of(),
                      ApiClient.DEFAULT_TIMEOUT))
              .json();
      printCreated(this, rotated, id.startsWith(CLIENT_PREFIX));
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revokes a credential: an API key (key_…) or OAuth 2 client (mc_…, with its tokens) is"
            + " deleted; anything else is taken as an access token and revoked."
      })
  static final class Revoke extends ClientCommand {
    @Parameters(paramLabel = "ID_OR_TOKEN")
    String credential;

    @Override
    int run() {
      boolean token = !credential.startsWith("key_") && !credential.startsWith(CLIENT_PREFIX);
      if (token) {
        client()
            .expectOk(
                ApiClient.Request.form(
                    "/v1/oauth2/revoke", "token=" + ApiClient.encode(credential)));
      } else {
        client()
            .expectOk(
                ApiClient.Request.delete(collection(credential) + ApiClient.encode(credential)));
      }
      if (json()) {
        ObjectNode json = JSON.createObjectNode();
        json.put("revoked", token ? "token" : credential);
        printJson(json);
      } else {
        out().println(token ? "Revoked the access token." : "Revoked " + credential + ".");
        out().flush();
      }
      return 0;
    }
  }
}
