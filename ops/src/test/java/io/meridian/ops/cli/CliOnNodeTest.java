package io.meridian.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code meridian} client commands against a real node on Cassandra that enforces credentials:
 * every command, its table and its {@code --json} output, the trace file, and the exit codes.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliOnNodeTest {

  private static final String ADMIN_TOKEN = "cli-test-admin-token-0123456789-0123456789";

  /** A query every series group answers: 200 once all of them are served. */
  private static final String EVERY_GROUP =
      "/prometheus/api/v1/query?query=count(%7B__name__%3D~%22.%2B%22%7D)";

  @TempDir static Path dir;

  private TestNode node;
  private Http admin;
  private Cli cli;
  private Path trace;

  @BeforeAll
  void startNodeAndLogIn(CassandraServer cassandra) throws Exception {
    node =
        TestNode.start(
            cassandra,
            "it_cli",
            "meridian.auth.mode = enforced\nmeridian.auth.admin-token = \"" + ADMIN_TOKEN + "\"\n");
    admin = new Http(node.url()).withBearer(ADMIN_TOKEN);
    Await.until(
        "credentials loaded",
        Duration.ofSeconds(30),
        () -> admin.get("/v1/info").status() == 200,
        () -> admin.get("/v1/info").body());
    trace = dir.resolve("shared-trace.log");
    cli = new Cli(dir.resolve("home"), node.url(), trace);
    Cli.Run login = cli.run("login", "--key", ADMIN_TOKEN);
    assertThat(login.code()).as(login.toString()).isZero();
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private Cli.Run ok(String... args) {
    Cli.Run run = cli.run(args);
    assertThat(run.code()).as(String.join(" ", args) + "\n" + run).isZero();
    return run;
  }

  @Test
  void targetAndLoginKeepTheCredentialPerTargetReadableByItsOwnerOnly() throws Exception {
    Path home = dir.resolve("fresh-home");
    Cli fresh = new Cli(home, null, dir.resolve("fresh-trace.log"));

    assertThat(fresh.run("target").out()).contains("Target: " + CliConfig.DEFAULT_TARGET);
    Cli.Run target = fresh.run("target", node.url() + "/");
    assertThat(target.code()).as(target.toString()).isZero();
    assertThat(target.out()).contains("Targeted " + node.url()).contains("run meridian login");
    assertThat(fresh.run("target", "--json").json().path("target").asText()).isEqualTo(node.url());

    Cli.Run refused = fresh.run("tokens", "list");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("Error: ").contains("HTTP 401").contains("tag ");

    Cli.Run wrong = fresh.run("login", "--key", "mk_not-a-key");
    assertThat(wrong.code()).as(wrong.toString()).isEqualTo(1);
    assertThat(wrong.err()).contains("HTTP 401");

    Path keyFile = dir.resolve("admin-key");
    Files.writeString(keyFile, ADMIN_TOKEN + "\n");
    Cli.Run login = fresh.run("login", "--key-file", keyFile.toString());
    assertThat(login.code()).as(login.toString()).isZero();
    assertThat(login.out()).contains("Logged in to " + node.url() + " with an API key");
    Path config = home.resolve("config.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(config)).contains(ADMIN_TOKEN).contains(node.url());

    Cli.Run targets = fresh.run("targets");
    assertThat(targets.out())
        .contains("╭")
        .contains("│ Target")
        .containsPattern("│ " + node.url() + " +│ \\* +│ API key +│");
    JsonNode known = fresh.run("targets", "--json").json();
    assertThat(known).hasSize(1);
    assertThat(known.path(0).path("credential").asText()).isEqualTo("key");
    assertThat(fresh.run("tokens", "list").code()).isZero();

    assertThat(fresh.run("logout").out()).contains("Logged out of " + node.url());
    assertThat(Files.readString(config)).doesNotContain(ADMIN_TOKEN);
    assertThat(fresh.run("tokens", "list").code()).isEqualTo(1);
  }

  @Test
  void putOnePointThenQueryItWithPromqlAndOpenTsdb() {
    assertThat(ok("put", "cli.cpu", "1.5", "host=a", "--timestamp", "1700000000").out())
        .contains("Stored 1 data point.");
    ok("put", "cli.cpu", "2.5", "host=b", "--timestamp", "1700000000");
    ok("put", "cli.cpu", "3", "host=a", "--timestamp", "1700000060");

    Cli.Run instant = ok("query", "{__name__=\"cli.cpu\"}", "--time", "1700000070");
    assertThat(instant.out())
        .contains("│ Series")
        .containsPattern("│ cli\\.cpu\\{host=\"a\"\\} +│ 2023-11-14T22:14:30Z +│ 3 +│")
        .containsPattern("│ cli\\.cpu\\{host=\"b\"\\} +│ 2023-11-14T22:14:30Z +│ 2\\.5 +│");
    JsonNode vector =
        ok("query", "sum({__name__=\"cli.cpu\"})", "--time", "1700000070", "--json").json();
    assertThat(vector.path("status").asText()).isEqualTo("success");
    assertThat(vector.at("/data/result/0/value/1").asText()).isEqualTo("5.5");

    Cli.Run range =
        ok(
            "query",
            "{__name__=\"cli.cpu\", host=\"a\"}",
            "--start",
            "1700000000",
            "--end",
            "1700000060",
            "--step",
            "60s");
    assertThat(range.out())
        .containsPattern("│ cli\\.cpu\\{host=\"a\"\\} +│ 2 +│ 2023-11-14T22:14:20Z +│ 3 +│");
    assertThat(
            ok(
                    "query",
                    "{__name__=\"cli.cpu\"}",
                    "--start",
                    "1700000000",
                    "--end",
                    "1700000060",
                    "--json")
                .json()
                .at("/data/resultType")
                .asText())
        .isEqualTo("matrix");

    Cli.Run tsdb =
        ok(
            "query",
            "--opentsdb",
            "sum:cli.cpu{host=*}",
            "--start",
            "1699999990",
            "--end",
            "1700000100");
    assertThat(tsdb.out())
        .containsPattern("│ cli\\.cpu +│ host=a +│ +│ 2 +│ 2023-11-14T22:14:20Z +│ 3 +│");
    JsonNode tsdbJson =
        ok(
                "query",
                "--opentsdb",
                "sum:cli.cpu",
                "--start",
                "1699999990",
                "--end",
                "1700000100",
                "--json")
            .json();
    assertThat(tsdbJson.path(0).path("aggregateTags").path(0).asText()).isEqualTo("host");
    assertThat(tsdbJson.path(0).path("dps").path("1700000000").asDouble()).isEqualTo(4.0);

    Cli.Run bad = cli.run("query", "sum(", "--time", "1700000070");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("bad_data").contains("HTTP 400").contains("tag ");
  }

  @Test
  void bulkImportShowsProgressAndReportsEveryFailure() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("# cli.import: telnet-style and JSON lines");
    for (int i = 0; i < 6; i++) {
      lines.add("put cli.import " + (1700000000 + i) + " " + i + " host=a");
    }
    for (int i = 0; i < 4; i++) {
      lines.add(
          "{\"metric\":\"cli.import\",\"timestamp\":"
              + (1700000000 + i)
              + ",\"value\":"
              + i
              + ",\"tags\":{\"host\":\"b\"}}");
    }
    lines.add("");
    lines.add("cli.import not-a-time 1 host=a");
    lines.add("cli.import 1700000009 1 host=bad!value");
    Path file = dir.resolve("points.txt");
    Files.write(file, lines);

    Cli.Run run = cli.run("put", "--file", file.toString(), "--batch", "4", "--progress");
    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("4 / 12 points (33%)").contains("12 / 12 points (100%)");
    assertThat(run.out())
        .contains("Imported 10 of 12 data points from " + file)
        .contains("2 failed")
        .containsPattern("│ line 13 +│ invalid timestamp: not-a-time +│")
        .containsPattern("│ cli\\.import 1700000009 1 host=bad!value +│ .*illegal character");

    JsonNode series = ok("series", "{__name__=\"cli.import\"}", "--json").json();
    assertThat(series.path("data")).hasSize(2);

    Path good = dir.resolve("good.txt");
    Files.write(good, lines.subList(0, 11));
    JsonNode summary = ok("put", "--file", good.toString(), "--json").json();
    assertThat(summary.path("success").asLong()).isEqualTo(10);
    assertThat(summary.path("failed").asLong()).isZero();
  }

  @Test
  void seriesAreListedAndSuggested() {
    ok("put", "cli.series.one", "1", "host=x", "dc=eu", "--timestamp", "1700000000");
    ok("put", "cli.series.two", "1", "host=y", "--timestamp", "1700000000");

    Cli.Run table = ok("series", "{__name__=~\"cli\\\\.series\\\\..*\"}");
    assertThat(table.out())
        .contains("│ Series")
        .contains("cli.series.one{dc=\"eu\", host=\"x\"}")
        .contains("cli.series.two{host=\"y\"}");
    assertThat(ok("series", "{__name__=\"cli.series.two\"}", "--json").json().path("data"))
        .hasSize(1);

    Cli.Run suggested = ok("series", "--suggest", "metrics", "--prefix", "cli.series.");
    assertThat(suggested.out()).contains("│ Metric").contains("│ cli.series.one ").contains("two");
    JsonNode tagv = ok("series", "--suggest", "tagv", "--prefix", "e", "--json").json();
    assertThat(tagv.toString()).contains("eu");

    Cli.Run none = cli.run("series");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("series selector");
  }

  @Test
  void logsOfARangeAndFollowedWithLongPolling() throws Exception {
    long base = Instant.now().toEpochMilli() - 60_000;
    post(entry(base + 1, 1, "api", "first message"));
    post(entry(base + 2, 3, "db", "disk almost full"));

    Cli.Run range = ok("logs", "get", Long.toString(base), Long.toString(base + 10));
    assertThat(range.out())
        .containsPattern("│ Time +│ Level +│ Service")
        .containsPattern("│ .+ │ INFO +│ api +│ 10\\.0\\.0\\.1 +│ 42 +│ first message +│")
        .contains("disk almost full");
    JsonNode excerpt =
        ok(
                "logs",
                "get",
                Long.toString(base),
                Long.toString(base + 10),
                "--level",
                "ERROR",
                "--json")
            .json();
    assertThat(excerpt.at("/log_excerpt/entries")).hasSize(1);

    CompletableFuture<Cli.Run> tail =
        CompletableFuture.supplyAsync(
            () -> cli.run("logs", "tail", "api", "--since", Long.toString(base + 2), "--max", "2"));
    post(entry(base + 3, 1, "db", "not followed: another service"));
    post(entry(base + 4, 2, "api", "followed one"));
    post(entry(base + 5, 1, "api", "followed two"));
    Cli.Run followed = tail.get(2, TimeUnit.MINUTES);
    assertThat(followed.code()).as(followed.toString()).isZero();
    assertThat(followed.out())
        .contains("WARN    api 10.0.0.1[42] followed one")
        .contains("followed two")
        .doesNotContain("another service");

    CompletableFuture<Cli.Run> waiting =
        CompletableFuture.supplyAsync(
            () ->
                cli.run(
                    "logs", "tail", "--since", Long.toString(base + 5), "--max", "1", "--json"));
    post(entry(base + 6, 4, "api", "after waiting"));
    Cli.Run asJson = waiting.get(2, TimeUnit.MINUTES);
    assertThat(asJson.json().path("msg").asText()).isEqualTo("after waiting");

    Cli.Run until =
        ok("logs", "tail", "--since", Long.toString(base + 6), "--until", Long.toString(base + 9));
    assertThat(until.out()).isEmpty();
  }

  private void post(String entry) {
    Http.Response posted = admin.post("/v1/log_excerpts", entry);
    assertThat(posted.status()).as(posted.body()).isEqualTo(204);
  }

  private static String entry(long timestamp, int level, String service, String message) {
    return "{\"timestamp\":"
        + timestamp
        + ",\"ip\":\"10.0.0.1\",\"pid\":42,\"service\":\""
        + service
        + "\",\"level\":"
        + level
        + ",\"msg\":\""
        + message
        + "\"}";
  }

  @Test
  void jobsTargetsAndServersAreCreatedChangedAndDeleted() {
    Cli.Run server = ok("servers", "create", "web-1", "127.0.0.1", "--instance-id", "i-1");
    assertThat(server.out()).containsPattern("│ [0-9a-f-]{36} │ web-1 +│ 127\\.0\\.0\\.1 │ i-1 +│");
    assertThat(ok("servers", "list", "--json").json().path("body")).hasSize(1);

    Cli.Run job = ok("jobs", "create", "node", "--interval", "30", "--description", "exporters");
    assertThat(job.out()).containsPattern("│ node +│ /metrics +│ 30s +│ 10s +│ exporters +│");
    JsonNode created = ok("jobs", "get", "node", "--json").json();
    assertThat(created.at("/header/resultCode").asInt()).isZero();
    String jobId = created.at("/body/jobId").asText();
    assertThat(created.at("/body/lstModifier").asText()).matches("[0-9a-f-]{36}");

    assertThat(ok("jobs", "list").out()).contains(jobId).contains("node");
    assertThat(ok("jobs", "update", "node", "--description", "node exporters").out())
        .contains("node exporters");

    Cli.Run duplicate = cli.run("jobs", "create", "node");
    assertThat(duplicate.code()).isEqualTo(1);
    assertThat(duplicate.err()).contains("-40001 ALREADY_EXIST").contains("tag ");

    Cli.Run target =
        ok(
            "targets",
            "create",
            "--job",
            "node",
            "--host",
            "web-1",
            "--port",
            "9",
            "--description",
            "discard port");
    assertThat(target.out()).containsPattern("│ web-1 +│ 127\\.0\\.0\\.1 +│ 9 +│");
    JsonNode targets = ok("targets", "list", "--job", jobId, "--json").json();
    assertThat(targets.path("body")).hasSize(1);
    String targetId = targets.at("/body/0/targetId").asText();
    assertThat(ok("targets", "get", "--job", "node", targetId).out()).contains("discard port");

    Cli.Run stillUsed = cli.run("servers", "delete", "web-1");
    assertThat(stillUsed.code()).isEqualTo(1);
    assertThat(stillUsed.err()).contains("-40002 BAD_INPUT_VALUE");

    assertThat(ok("targets", "delete", "--job", "node", targetId).out())
        .contains("Deleted target " + targetId);
    assertThat(ok("targets", "list", "--job", "node").out()).contains("has no targets");
    assertThat(ok("jobs", "delete", "node").out()).contains("Deleted job " + jobId);
    Cli.Run gone = cli.run("jobs", "get", jobId);
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).contains("-40006 NOT_FOUND_JOB");
    assertThat(ok("servers", "delete", "web-1").out()).contains("Removed server");
    assertThat(ok("jobs", "list").out()).contains("No jobs in project default.");
  }

  @Test
  void tokensAreCreatedListedRotatedAndRevoked() {
    Cli.Run key =
        ok("tokens", "create", "--project", "web", "--scopes", "read", "--description", "grafana");
    assertThat(key.out()).contains("The secret is shown only now").containsPattern("│ mk_\\S+ ");
    JsonNode created =
        ok(
                "tokens",
                "create",
                "--project",
                "web",
                "--scopes",
                "read,write",
                "--description",
                "collector",
                "--client",
                "--json")
            .json();
    String clientId = created.path("client_id").asText();
    String clientSecret = created.path("client_secret").asText();
    assertThat(clientId).startsWith("mc_");

    Cli.Run list = ok("tokens", "list", "--project", "web");
    assertThat(list.out())
        .containsPattern("│ key +│ key_\\S+ +│ web +│ read +│ grafana +│")
        .containsPattern("│ client +│ " + clientId + " +│ web +│ read,write +│ collector +│")
        .doesNotContain(clientSecret);
    JsonNode listed = ok("tokens", "list", "--project", "web", "--json").json();
    String keyId = listed.at("/keys/0/id").asText();
    assertThat(listed.path("clients")).hasSize(1);

    Cli collector = new Cli(dir.resolve("collector-home"), node.url(), trace);
    Cli.Run login =
        collector.run("login", "--client-id", clientId, "--client-secret", clientSecret);
    assertThat(login.code()).as(login.toString()).isZero();
    assertThat(login.out()).contains("with an access token for client " + clientId);
    assertThat(collector.run("put", "cli.token", "1", "host=a").code()).isZero();
    String token =
        CliConfig.load(dir.resolve("collector-home")).credential(node.url()).orElseThrow().token();
    assertThat(token).startsWith("eyJ");

    assertThat(ok("tokens", "revoke", token).out()).contains("Revoked the access token.");
    Cli.Run revoked = collector.run("put", "cli.token", "2", "host=a");
    assertThat(revoked.code()).isEqualTo(1);
    assertThat(revoked.err()).contains("HTTP 401");

    JsonNode rotated = ok("tokens", "rotate", clientId, "--json").json();
    assertThat(rotated.path("client_secret").asText()).isNotEqualTo(clientSecret);
    assertThat(ok("tokens", "revoke", keyId).out()).contains("Revoked " + keyId);
    assertThat(ok("tokens", "revoke", clientId, "--json").json().path("revoked").asText())
        .isEqualTo(clientId);
    assertThat(ok("tokens", "list", "--project", "web", "--json").json().path("keys")).isEmpty();
  }

  @Test
  void traceRecordsEveryExchangeWithCredentialsMasked() throws Exception {
    Path file = dir.resolve("meridian-trace.log");
    Cli traced = new Cli(dir.resolve("home"), node.url(), file);
    Cli.Run created =
        traced.run(
            "tokens", "create", "--project", "traced", "--scopes", "read", "--trace", "--json");
    assertThat(created.code()).as(created.toString()).isZero();
    assertThat(created.err()).contains("Trace mode on");
    String secret = created.json().path("key").asText();
    Cli.Run appKey = traced.run("series", "{__name__=\"cli.cpu\"}", "--app-key", secret, "--trace");
    assertThat(appKey.code()).as(appKey.toString()).isZero();
    assertThat(traced.run("put", "cli.traced", "1", "host=a", "--trace").code()).isZero();

    String log = Files.readString(file);
    assertThat(log)
        .contains("-- Sending HTTP Request:")
        .contains("POST " + node.url() + "/v1/keys HTTP/1.1")
        .contains("Authorization: Bearer ***")
        .contains("{\"project\":\"traced\",\"scopes\":[\"read\"]}")
        .contains("-- Received HTTP Response (")
        .contains("HTTP/1.1 201")
        .contains("\"key\":\"***\"")
        .contains("GET " + node.url() + "/prometheus/api/v1/series?match%5B%5D=")
        .contains("X-TC-APP-KEY: ***")
        .contains("POST " + node.url() + "/api/put?details HTTP/1.1")
        .contains("\"metric\":\"cli.traced\"")
        .containsPattern("(?i)x-meridian-tag: [0-9a-f-]{36}")
        .doesNotContain(ADMIN_TOKEN)
        .doesNotContain(secret);
    assertThat(log.split("-- Sending HTTP Request:", -1)).hasSize(4);
  }

  @Test
  void clusterMembersAreListedAndOnlyMembersCanLeaveOrBeDowned() {
    Cli.Run members = ok("cluster", "members");
    assertThat(members.out())
        .containsPattern("│ Address +│ Status +│ Roles")
        .containsPattern(
            "│ pekko://meridian@[0-9.]+:\\d+ \\(self, leader\\) +│ Up +│ dc-default +│")
        .containsPattern("│ yes +│")
        .containsPattern("│ Shards \\(entities\\) +│")
        .containsPattern("AuthRegistry 1 \\(1\\)")
        .doesNotContain(" 0 (");
    JsonNode json = ok("cluster", "members", "--json").json();
    assertThat(json.path("members")).hasSize(1);
    String self = json.path("self").asText();
    assertThat(json.at("/members/0/address").asText()).isEqualTo(self);

    String stranger = "pekko://meridian@127.0.0.1:1";
    for (String operation : List.of("leave", "down")) {
      Cli.Run refused = cli.run("cluster", operation, stranger);
      assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err()).contains("No member " + stranger).contains("HTTP 404");
    }
    Cli.Run malformed = cli.run("cluster", "down", "not-an-address");
    assertThat(malformed.code()).isEqualTo(1);
    assertThat(malformed.err()).contains("is not a member address").contains("HTTP 400");
    assertThat(ok("cluster", "members", "--json").json().at("/members/0/status").asText())
        .isEqualTo("Up");
  }

  @Test
  void joinedMembersLeaveOrAreDownedFromTheCli(CassandraServer cassandra) throws Exception {
    String seed = "pekko.cluster.seed-nodes = [\"" + node.system().address() + "\"]\n";
    String config =
        seed
            + "meridian.auth.mode = enforced\nmeridian.auth.admin-token = \""
            + ADMIN_TOKEN
            + "\"\n";
    try (TestNode leaving = TestNode.start(cassandra, "it_cli", config);
        TestNode downed = TestNode.start(cassandra, "it_cli", config)) {
      awaitMembers(3);
      Cli.Run members = ok("cluster", "members");
      assertThat(members.out())
          .contains(leaving.system().address().toString())
          .contains(downed.system().address().toString());

      Cli.Run leave = ok("cluster", "leave", leaving.system().address().toString());
      assertThat(leave.out()).contains("Leaving " + leaving.system().address());
      leaving.system().getWhenTerminated().toCompletableFuture().get(90, TimeUnit.SECONDS);

      Cli.Run down = ok("cluster", "down", downed.system().address().toString());
      assertThat(down.out()).contains("Downing " + downed.system().address());
      downed.system().getWhenTerminated().toCompletableFuture().get(90, TimeUnit.SECONDS);
      awaitMembers(1);
    }
    // The shards the two nodes held are served here again before the other tests go on.
    Await.until(
        "a query over every series group succeeds",
        Duration.ofSeconds(60),
        () -> admin.get(EVERY_GROUP).status() == 200,
        () -> admin.get(EVERY_GROUP).body());
  }

  private void awaitMembers(int count) {
    Await.until(
        count + " members, all Up",
        Duration.ofSeconds(60),
        () -> {
          JsonNode json = cli.run("cluster", "members", "--json").json();
          if (json.path("members").size() != count) {
            return false;
          }
          for (JsonNode member : json.path("members")) {
            if (!member.path("status").asText().equals("Up")) {
              return false;
            }
          }
          return true;
        },
        () -> cli.run("cluster", "members").out());
  }

  @Test
  void exitCodesSayWhetherTheApiOrTheUsageWasWrong() {
    Cli.Run usage = cli.run("query");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required parameter");

    Cli.Run badTime = cli.run("query", "up", "--start", "yesterday-ish");
    assertThat(badTime.code()).isEqualTo(2);
    assertThat(badTime.err()).contains("Not a time: \"yesterday-ish\"");

    Cli.Run missing = cli.run("tokens", "revoke", "key_missing");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .containsPattern("Error: No credential key_missing \\(HTTP 404, tag [0-9a-f-]{36}\\)");

    Cli.Run unreachable = cli.run("series", "up", "--target", "127.0.0.1:1");
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).contains("Cannot connect to http://127.0.0.1:1");
  }
}
