package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian login}: checks a credential against the target and stores it for that target in
 * the CLI's config.json (mode 0600). An API key (given, read from a file such as the development
 * profile's {@code data/admin-key}, or from stdin) is checked with {@code GET /v1/info}; an OAuth 2
 * client is exchanged for an access token at {@code POST /v1/oauth2/token}.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Logs in to the target and stores the credential for it (in ~/.meridian/config.json).",
      "Without options, reads an API key from stdin."
    })
public final class LoginCommand extends ClientCommand {

  @Option(names = "--key", paramLabel = "<key>", description = "An API key (mk_…) or admin token.")
  String key;

  @Option(
      names = "--key-file",
      paramLabel = "<file>",
      description = "Reads the API key from this file (- for stdin), e.g. data/admin-key.")
  Path keyFile;

  @Option(
      names = "--client-id",
      paramLabel = "<id>",
      description = "An OAuth 2 client (mc_…): logs in with an access token for it.")
  String clientId;

  @Option(
      names = "--client-secret",
      paramLabel = "<secret>",
      description = "The OAuth 2 client's secret (ms_…).")
  String clientSecret;

  @Override
  int run() throws IOException {
    String target = target();
    if (clientId != null || clientSecret != null) {
      if (clientId == null || clientSecret == null) {
        throw new CliException("--client-id and --client-secret go together");
      }
      return withClient(target);
    }
    String secret = key != null ? key : readKey();
    if (secret.isEmpty()) {
      throw new CliException("No API key given (--key, --key-file or stdin)");
    }
    ApiResponse answer =
        clientFor(target)
            .send(
                ApiClient.Request.get("/v1/info").withHeader("Authorization", "Bearer " + secret));
    // A key without the read scope is refused /v1/info with a 403 but is a valid key.
    if (answer.status() != 200 && answer.status() != 403) {
      throw ApiErrors.of(answer);
    }
    config().credential(target, new CliConfig.Credential(secret, "key", null));
    config().save();
    report(target, "key", null, answer.status() == 403 ? " (the key cannot read /v1/info)" : "");
    return 0;
  }

  private int withClient(String target) {
    String form =
        "grant_type=client_credentials&client_id="
            + ApiClient.encode(clientId)
            + "&client_secret="
            + ApiClient.encode(clientSecret);
    ApiResponse answer =
        clientFor(target)
            .expectOk(
                ApiClient.Request.form("/v1/oauth2/token", form).withHeader("Authorization", null));
    JsonNode token = answer.json();
    long expiresAt = System.currentTimeMillis() + token.path("expires_in").asLong() * 1000;
    config()
        .credential(
            target,
            new CliConfig.Credential(token.path("access_token").asText(), "token", expiresAt));
    config().save();
    report(target, "token", expiresAt, " for client " + clientId);
    return 0;
  }

  private void report(String target, String kind, Long expiresAt, String note) {
    if (json()) {
      ObjectNode json = JSON.createObjectNode();
      json.put("target", target);
      json.put("kind", kind);
      json.put("expires_at", expiresAt == null ? null : Instant.ofEpochMilli(expiresAt).toString());
      printJson(json);
      return;
    }
    out()
        .printf(
            "Logged in to %s with %s%s%s.%n",
            target,
            kind.equals("key") ? "an API key" : "an access token",
            note,
            expiresAt == null ? "" : ", valid until " + Instant.ofEpochMilli(expiresAt));
    out().printf("The credential is stored in %s.%n", config().file());
    out().flush();
  }

  private String readKey() throws IOException {
    if (keyFile != null && !keyFile.toString().equals("-")) {
      if (!Files.isReadable(keyFile)) {
        throw new CliException("Cannot read the key file " + keyFile);
      }
      return Files.readString(keyFile).trim();
    }
    if (keyFile == null && System.console() != null) {
      err().print("API key: ");
      err().flush();
      char[] typed = System.console().readPassword();
      return typed == null ? "" : new String(typed).trim();
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    return line == null ? "" : line.trim();
  }
}
