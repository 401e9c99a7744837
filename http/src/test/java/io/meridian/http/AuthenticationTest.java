package io.meridian.http;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code meridian.auth.mode = enforced}: no endpoint of any API answers without a valid
 * credential, scopes limit what a credential may do, access tokens come from the client-credentials
 * grant and end when revoked or their client is rotated, and one project's credentials never reach
 * another project's series, logs, jobs or targets.
 */
class AuthenticationTest {

  static final String ADMIN = "Authorization";
  static final String ADMIN_TOKEN = "test-admin-token-0123456789-0123456789";

  private static InMemoryNode node;

  /** Every endpoint of every API, as its reference documents it: method, path, body. */
  static final List<String[]> ENDPOINTS =
      List.of(
          // OpenTSDB
          e(
              "POST",
              "/api/put",
              "{\"metric\":\"m\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"h\":\"a\"}}"),
          e("POST", "/api/v1/put", "{}"),
          e("GET", "/api/query?start=1h-ago&m=sum:m", null),
          e("POST", "/api/query", "{\"start\":\"1h-ago\",\"queries\":[]}"),
          e("GET", "/api/query/last?timeseries=m", null),
          e("POST", "/api/query/last", "{}"),
          e("POST", "/api/query/exp", "{}"),
          e("GET", "/api/query/gexp", null),
          e("GET", "/api/suggest?type=metrics", null),
          e("POST", "/api/suggest", "{\"type\":\"metrics\"}"),
          e("GET", "/api/search/lookup?m=m", null),
          e("POST", "/api/search/lookup", "{\"metric\":\"m\"}"),
          e("GET", "/api/annotation?start_time=1", null),
          e("POST", "/api/annotation", "{}"),
          e("DELETE", "/api/annotation?start_time=1", null),
          e("GET", "/api/annotation?start_time=1&method_override=delete", null),
          e("POST", "/api/annotation/bulk", "[]"),
          e("DELETE", "/api/annotation/bulk?start_time=1&global=true", null),
          e("POST", "/api/uid/assign", "{}"),
          e("GET", "/api/uid/uidmeta?uid=000001&type=metric", null),
          e("POST", "/api/uid/uidmeta", "{}"),
          e("GET", "/api/aggregators", null),
          e("GET", "/api/serializers", null),
          e("GET", "/api/version", null),
          e("GET", "/api/config", null),
          e("GET", "/api/config/filters", null),
          e("GET", "/api/stats", null),
          e("GET", "/api/dropcaches", null),
          e("OPTIONS", "/api/put", null),
          // Prometheus
          e("GET", "/prometheus/api/v1/query?query=up", null),
          e("POST", "/prometheus/api/v1/query", "query=up"),
          e("GET", "/prometheus/api/v1/query_range?query=up&start=1&end=2&step=1", null),
          e("GET", "/prometheus/api/v1/series?match%5B%5D=up", null),
          e("GET", "/prometheus/api/v1/labels", null),
          e("GET", "/prometheus/api/v1/label/job/values", null),
          e("GET", "/prometheus/api/v1/metadata", null),
          e("GET", "/prometheus/api/v1/status/buildinfo", null),
          e("GET", "/prometheus/api/v1/query_exemplars?query=up", null),
          e("POST", "/prometheus/api/v1/write", ""),
          e("POST", "/api/v1/write", ""),
          e("GET", "/api/v1/query_range?query=up&start=1&end=2&step=1", null),
          e("GET", "/prometheus/projects/a/api/v1/query?query=up", null),
          // Log excerpts
          e("GET", "/v1/log_excerpts/1000/2000", null),
          e("DELETE", "/v1/log_excerpts/1000/2000", null),
          e("POST", "/v1/log_excerpts", "{}"),
          // OpenMetrics jobs, targets and servers
          e("GET", "/v1.0/projects/a/jobs", null),
          e("POST", "/v1.0/projects/a/jobs", "{\"jobName\":\"j\"}"),
          e("GET", "/v1.0/projects/a/jobs/j1", null),
          e("PUT", "/v1.0/projects/a/jobs/j1", "{}"),
          e("DELETE", "/v1.0/projects/a/jobs/j1", null),
          e("GET", "/v1.0/projects/a/jobs/j1/targets", null),
          e("POST", "/v1.0/projects/a/jobs/j1/targets", "{}"),
          e("GET", "/v1.0/projects/a/jobs/j1/targets/t1", null),
          e("DELETE", "/v1.0/projects/a/jobs/j1/targets/t1", null),
          e("GET", "/v1.0/projects/a/servers", null),
          e("POST", "/v1.0/projects/a/servers", "{}"),
          // Meridian's own API
          e("GET", "/info", null),
          e("GET", "/v1/info", null),
          e("GET", "/keys", null),
          e("POST", "/keys", "{}"),
          e("GET", "/v1/keys/key_1", null),
          e("POST", "/keys/key_1/rotate", null),
          e("DELETE", "/keys/key_1", null),
          e("GET", "/clients", null),
          e("POST", "/v1/clients", "{}"),
          e("POST", "/clients/mc_1/rotate", null),
          e("DELETE", "/clients/mc_1", null),
          e("GET", "/v1/cluster/members", null),
          e(
              "PUT",
              "/v1/cluster/members/pekko%3A%2F%2Fm%4010.9.9.9%3A1",
              "{\"operation\":\"down\"}"),
          e("DELETE", "/cluster/members/pekko%3A%2F%2Fm%4010.9.9.9%3A1", null),
          // The web console's paths with other methods than GET (its files are public), and paths
          // no API has
          e("POST", "/", "{}"),
          e("GET", "/console/assets/nowhere.js", null),
          e("GET", "/nowhere", null),
          e("POST", "/api/nowhere", "{}"));

  private static String[] e(String method, String path, String body) {
    return new String[] {method, path, body};
  }

  @BeforeAll
  static void start() throws Exception {
    node = InMemoryNode.enforcing("AuthenticationTest", ADMIN_TOKEN, "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static HttpResponse<String> send(String[] endpoint, String... headers) {
    return node.send(endpoint[0], endpoint[1], endpoint[2], headers);
  }

  private static String bearer(String secret) {
    return "Bearer " + secret;
  }

  /** A new API key: {@code {"key":…,"id":…}}. */
  static JsonNode createKey(String project, String... scopes) {
    StringBuilder list = new StringBuilder();
    for (String scope : scopes) {
      list.append(list.isEmpty() ? "" : ",").append('"').append(scope).append('"');
    }
    HttpResponse<String> created =
        node.send(
            "POST",
            "/keys",
            "{\"project\":\"" + project + "\",\"scopes\":[" + list + "]}",
            ADMIN,
            bearer(ADMIN_TOKEN));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json(created);
  }

  @Test
  void noEndpointAnswersWithoutValidCredentials() {
    List<String> answered = new ArrayList<>();
    for (String[] endpoint : ENDPOINTS) {
      if (endpoint[0].equals("OPTIONS")) {
        continue;
      }
      for (String[] headers :
          List.of(
              new String[0],
              new String[] {ADMIN, "Bearer not-a-credential"},
              new String[] {ADMIN, "Bearer a.b.c"},
              new String[] {ADMIN, "Basic YWRtaW46YWRtaW4="},
              new String[] {Projects.APP_KEY_HEADER, "mk_guessed"})) {
        HttpResponse<String> response = send(endpoint, headers);
        if (response.statusCode() != 401
            || response.headers().firstValue("WWW-Authenticate").isEmpty()
            || !response
                .body()
                .contains(response.headers().firstValue(RequestLog.TAG_HEADER).get())) {
          answered.add(
              endpoint[0]
                  + " "
                  + endpoint[1]
                  + " "
                  + List.of(headers)
                  + " → "
                  + response.statusCode()
                  + " "
                  + response.body());
        }
      }
    }
    assertThat(answered).isEmpty();
  }

  @Test
  void refusalsAreInEachApisOwnErrorFormat() {
    assertThat(json(node.send("GET", "/api/version", null)).at("/error/code").asInt())
        .isEqualTo(401);
    assertThat(json(node.send("GET", "/prometheus/api/v1/labels", null)).get("errorType").asText())
        .isEqualTo("unauthorized");
    assertThat(json(node.send("GET", "/v1/log_excerpts/1/2", null)).get("_api_error").isArray())
        .isTrue();
    assertThat(
            json(node.send("GET", "/v1.0/projects/a/jobs", null))
                .at("/header/resultMessage")
                .asText())
        .isEqualTo("INVALID_HOST_OR_PROJECT");
  }

  @Test
  void everyEndpointAnswersAClusterAdministrator() {
    List<String> refused = new ArrayList<>();
    for (String[] endpoint : ENDPOINTS) {
      HttpResponse<String> response = send(endpoint, ADMIN, bearer(ADMIN_TOKEN));
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        refused.add(endpoint[0] + " " + endpoint[1] + " → " + response.statusCode());
      }
    }
    assertThat(refused).isEmpty();
  }

  @Test
  void aReadOnlyKeyReadsButNeverWrites() {
    String key = createKey("readers", "read").get("key").asText();
    List<String> wrong = new ArrayList<>();
    for (String[] endpoint : ENDPOINTS) {
      HttpResponse<String> response = send(endpoint, Projects.APP_KEY_HEADER, key);
      boolean writes = writes(endpoint);
      boolean refused = response.statusCode() == 403;
      if (response.statusCode() == 401 || (writes != refused && !crossProject(endpoint))) {
        wrong.add(endpoint[0] + " " + endpoint[1] + " → " + response.statusCode());
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aWriteOnlyKeyCannotReadBack() {
    String key = createKey("writers", "write").get("key").asText();

    assertThat(
            node.send(
                    "POST",
                    "/api/put",
                    "{\"metric\":\"w.m\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"h\":\"a\"}}",
                    ADMIN,
                    bearer(key))
                .statusCode())
        .isEqualTo(204);
    assertThat(
            node.send("GET", "/api/query?start=1h-ago&m=sum:w.m", null, ADMIN, bearer(key))
                .statusCode())
        .isEqualTo(403);
  }

  /** Whether the endpoint changes something (needs the write or admin scope). */
  private static boolean writes(String[] endpoint) {
    String method = endpoint[0];
    String path = endpoint[1];
    if (path.startsWith("/keys")
        || path.startsWith("/v1/keys")
        || path.startsWith("/clients")
        || path.startsWith("/v1/clients")
        || path.contains("/cluster/")) {
      return true;
    }
    if (path.contains("method_override=delete")) {
      return true;
    }
    if (method.equals("GET") || method.equals("OPTIONS")) {
      return false;
    }
    if (path.startsWith("/prometheus") || path.startsWith("/api/v1/query")) {
      return path.endsWith("/write");
    }
    if (path.endsWith("/write")) {
      return true;
    }
    return !(method.equals("POST")
        && (path.startsWith("/api/query")
            || path.startsWith("/api/suggest")
            || path.startsWith("/api/search")));
  }

  /** Endpoints naming another project than the key's, which are 403 whatever the scope. */
  private static boolean crossProject(String[] endpoint) {
    return endpoint[1].contains("/projects/a/");
  }

  @Test
  void theClientCredentialsGrantIssuesTokensThatWorkUntilRevoked() {
    JsonNode client =
        json(
            node.send(
                "POST",
                "/clients",
                "{\"project\":\"grants\",\"scopes\":[\"read\",\"write\"],\"description\":\"c\"}",
                ADMIN,
                bearer(ADMIN_TOKEN)));
    String id = client.get("client_id").asText();
    String secret = client.get("client_secret").asText();
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> issued =
        node.send(
            "POST",
            "/v1/oauth2/token",
            "grant_type=client_credentials&scope=read",
            "Content-Type",
            "application/x-www-form-urlencoded",
            ADMIN,
            basic);

    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    assertThat(issued.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode token = json(issued);
    assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(token.get("scope").asText()).isEqualTo("read");
    assertThat(token.get("expires_in").asLong()).isBetween(3590L, 3600L);
    String access = token.get("access_token").asText();
    assertThat(node.send("GET", "/api/version", null, ADMIN, bearer(access)).statusCode())
        .isEqualTo(200);
    assertThat(node.send("POST", "/api/put", "[]", ADMIN, bearer(access)).statusCode())
        .as("a read-scoped token cannot write")
        .isEqualTo(403);

    // Form credentials and a JSON body work as well.
    HttpResponse<String> json =
        node.send(
            "POST",
            "/oauth2/token",
            "{\"grant_type\":\"client_credentials\",\"client_id\":\""
                + id
                + "\",\"client_secret\":\""
                + secret
                + "\"}",
            "Content-Type",
            "application/json");
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    assertThat(json(json).get("scope").asText()).isEqualTo("read write");

    HttpResponse<String> revoked =
        node.send(
            "POST",
            "/v1/oauth2/revoke",
            "token=" + access,
            "Content-Type",
            "application/x-www-form-urlencoded",
            ADMIN,
            basic);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(node.send("GET", "/api/version", null, ADMIN, bearer(access)).statusCode())
        .isEqualTo(401);
    assertThat(
            node.send(
                    "GET",
                    "/api/version",
                    null,
                    ADMIN,
                    bearer(json(json).get("access_token").asText()))
                .statusCode())
        .as("other tokens of the client stay valid")
        .isEqualTo(200);
  }

  @Test
  void tokenRequestsWithBadCredentialsOrGrantsAreRefusedAsOAuthSays() {
    JsonNode client =
        json(
            node.send(
                "POST",
                "/clients",
                "{\"project\":\"grants\",\"scopes\":[\"read\"]}",
                ADMIN,
                bearer(ADMIN_TOKEN)));
    String id = client.get("client_id").asText();
    String form = "application/x-www-form-urlencoded";

    HttpResponse<String> wrongSecret =
        node.send(
            "POST",
            "/v1/oauth2/token",
            "grant_type=client_credentials&client_id=" + id + "&client_secret=wrong",
            "Content-Type",
            form);
    assertThat(wrongSecret.statusCode()).isEqualTo(401);
    assertThat(json(wrongSecret).get("error").asText()).isEqualTo("invalid_client");
    assertThat(wrongSecret.headers().firstValue("WWW-Authenticate")).isPresent();

    HttpResponse<String> noClient =
        node.send(
            "POST", "/v1/oauth2/token", "grant_type=client_credentials", "Content-Type", form);
    assertThat(json(noClient).get("error").asText()).isEqualTo("invalid_client");

    HttpResponse<String> grant =
        node.send("POST", "/v1/oauth2/token", "grant_type=password", "Content-Type", form);
    assertThat(grant.statusCode()).isEqualTo(400);
    assertThat(json(grant).get("error").asText()).isEqualTo("unsupported_grant_type");

    HttpResponse<String> scope =
        node.send(
            "POST",
            "/v1/oauth2/token",
            "grant_type=client_credentials&scope=admin&client_id="
                + id
                + "&client_secret="
                + client.get("client_secret").asText(),
            "Content-Type",
            form);
    assertThat(scope.statusCode()).isEqualTo(400);
    assertThat(json(scope).get("error").asText()).isEqualTo("invalid_scope");
  }

  @Test
  void rotatingAClientEndsItsTokensAndDeletingAKeyEndsTheKey() {
    JsonNode client =
        json(
            node.send(
                "POST",
                "/clients",
                "{\"project\":\"rotations\",\"scopes\":[\"read\"]}",
                ADMIN,
                bearer(ADMIN_TOKEN)));
    String id = client.get("client_id").asText();
    String access = token(id, client.get("client_secret").asText());
    assertThat(node.send("GET", "/api/version", null, ADMIN, bearer(access)).statusCode())
        .isEqualTo(200);

    HttpResponse<String> rotated =
        node.send("POST", "/clients/" + id + "/rotate", null, ADMIN, bearer(ADMIN_TOKEN));
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    assertThat(node.send("GET", "/api/version", null, ADMIN, bearer(access)).statusCode())
        .isEqualTo(401);
    assertThat(
            node.send(
                    "GET",
                    "/api/version",
                    null,
                    ADMIN,
                    bearer(token(id, json(rotated).get("client_secret").asText())))
                .statusCode())
        .isEqualTo(200);

    JsonNode key = createKey("rotations", "read");
    assertThat(
            node.send("GET", "/api/version", null, ADMIN, bearer(key.get("key").asText()))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            node.send("DELETE", "/keys/" + key.get("id").asText(), null, ADMIN, bearer(ADMIN_TOKEN))
                .statusCode())
        .isEqualTo(204);
    assertThat(
            node.send("GET", "/api/version", null, ADMIN, bearer(key.get("key").asText()))
                .statusCode())
        .isEqualTo(401);
  }

  static String token(String clientId, String secret) {
    HttpResponse<String> issued =
        node.send(
            "POST",
            "/v1/oauth2/token",
            "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret,
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    return json(issued).get("access_token").asText();
  }

  @Test
  void oneProjectsCredentialsNeverReachAnotherProjectsData() throws Exception {
    String a = createKey("project-a", "read", "write").get("key").asText();
    String b = createKey("project-b", "read", "write").get("key").asText();
    String point =
        "{\"metric\":\"iso.m\",\"timestamp\":"
            + (System.currentTimeMillis() / 1000)
            + ",\"value\":7,\"tags\":{\"h\":\"a\"}}";

    // Series through OpenTSDB: A writes, B sees nothing, A reads its own.
    assertThat(node.send("POST", "/api/put", point, ADMIN, bearer(a)).statusCode()).isEqualTo(204);
    assertThat(
            node.send("GET", "/api/query?start=1h-ago&m=sum:iso.m", null, ADMIN, bearer(b))
                .statusCode())
        .isEqualTo(400);
    awaitStatus(
        () -> node.send("GET", "/api/query?start=1h-ago&m=sum:iso.m", null, ADMIN, bearer(a)), 200);
    // Series through Prometheus: B's query finds nothing of A's, and a path naming A is refused.
    assertThat(
            json(node.send("GET", "/prometheus/api/v1/query?query=iso_m", null, ADMIN, bearer(b)))
                .at("/data/result")
                .size())
        .isZero();
    assertThat(
            node.send(
                    "GET",
                    "/prometheus/projects/project-a/api/v1/query?query=up",
                    null,
                    Projects.APP_KEY_HEADER,
                    b)
                .statusCode())
        .isEqualTo(403);
    // Logs.
    String entry =
        "{\"timestamp\":5000,\"ip\":\"10.0.0.1\",\"pid\":1,\"service\":\"api\",\"level\":1,"
            + "\"msg\":\"a's secret log\"}";
    assertThat(
            node.send("POST", "/v1/log_excerpts", entry, Projects.APP_KEY_HEADER, a).statusCode())
        .isLessThan(300);
    assertThat(
            node.send("GET", "/v1/log_excerpts/4000/6000", null, Projects.APP_KEY_HEADER, b).body())
        .doesNotContain("secret log");
    assertThat(
            node.send("GET", "/v1/log_excerpts/4000/6000", null, Projects.APP_KEY_HEADER, a).body())
        .contains("secret log");
    // Jobs and targets.
    HttpResponse<String> job =
        node.send(
            "POST",
            "/v1.0/projects/project-a/jobs",
            "{\"jobName\":\"a-job\"}",
            Projects.APP_KEY_HEADER,
            a,
            "Content-Type",
            "application/json");
    assertThat(json(job).at("/header/isSuccessful").asBoolean()).as(job.body()).isTrue();
    for (String path :
        List.of(
            "/v1.0/projects/project-a/jobs",
            "/v1.0/projects/project-a/jobs/" + json(job).at("/body/jobId").asText() + "/targets",
            "/v1.0/projects/project-a/servers")) {
      assertThat(node.send("GET", path, null, Projects.APP_KEY_HEADER, b).statusCode())
          .as(path)
          .isEqualTo(403);
    }
    assertThat(
            node.send(
                    "POST",
                    "/v1.0/projects/project-a/jobs",
                    "{\"jobName\":\"b-job\"}",
                    Projects.APP_KEY_HEADER,
                    b)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            node.send("GET", "/v1.0/projects/project-b/jobs", null, Projects.APP_KEY_HEADER, b)
                .body())
        .doesNotContain("a-job");
    // Credentials: B's administrator cannot see or touch A's.
    String bAdmin = createKey("project-b", "read", "admin").get("key").asText();
    assertThat(
            node.send("GET", "/keys?project=project-a", null, ADMIN, bearer(bAdmin)).statusCode())
        .isEqualTo(403);
    assertThat(node.send("GET", "/keys", null, ADMIN, bearer(bAdmin)).body())
        .doesNotContain("project-a");
    assertThat(
            node.send(
                    "POST",
                    "/keys",
                    "{\"project\":\"project-a\",\"scopes\":[\"read\"]}",
                    ADMIN,
                    bearer(bAdmin))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            node.send(
                    "POST",
                    "/keys",
                    "{\"project\":\"project-b\",\"scopes\":[\"write\"]}",
                    ADMIN,
                    bearer(bAdmin))
                .statusCode())
        .as("a credential cannot grant a scope it lacks")
        .isEqualTo(403);
  }

  private static void awaitStatus(
      java.util.function.Supplier<HttpResponse<String>> request, int status) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    HttpResponse<String> response = request.get();
    while (response.statusCode() != status && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
      response = request.get();
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
  }

  @Test
  void credentialsNeverReachTheLogs() throws Exception {
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(lines);
    try {
      node.send("GET", "/api/version", null, ADMIN, "Bearer not a valid s3cr3t-value");
      node.send("GET", "/api/version", null, ADMIN, "Basic s3cr3t-value===");
      node.send("GET", "/api/version", null, Projects.APP_KEY_HEADER, "s3cr3t-value");
      node.send("GET", "/api/version?access_token=s3cr3t-value", null);
      node.send("GET", "/api/version", null, ADMIN, bearer(ADMIN_TOKEN));
      // Pekko's own warnings go through its event stream, in order: once a line logged through it
      // now has arrived, so has anything the requests made it log.
      node.node().system().classicSystem().log().info("credentials-marker");
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (Instant.now().isBefore(deadline) && !logged(lines, "credentials-marker")) {
        Thread.sleep(10);
      }
      assertThat(logged(lines, "credentials-marker")).isTrue();
    } finally {
      root.detachAppender(lines);
    }
    synchronized (lines) {
      assertThat(lines.list)
          .isNotEmpty()
          .noneMatch(
              e ->
                  (e.getFormattedMessage() + e.getKeyValuePairs()).contains("s3cr3t")
                      || (e.getFormattedMessage() + e.getKeyValuePairs()).contains(ADMIN_TOKEN));
    }
  }

  private static boolean logged(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines,
      String text) {
    synchronized (lines) {
      return lines.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }
  }

  @Test
  void aCorsPreflightNeedsNoCredential() {
    HttpResponse<String> response =
        node.send(
            "OPTIONS",
            "/api/query",
            null,
            "Origin",
            "http://grafana.example",
            "Access-Control-Request-Method",
            "POST");
    assertThat(response.statusCode()).isNotEqualTo(401);
  }
}
