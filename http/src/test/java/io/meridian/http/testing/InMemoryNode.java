package io.meridian.http.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.meridian.http.HttpServer;
import io.meridian.http.HttpSettings;
import io.meridian.node.MeridianNode;
import io.meridian.node.logs.LogService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * A one-node cluster with its HTTP API on a free port and the in-memory journal (which tests can
 * make fail), driven by a real HTTP client. The log-excerpt API serves from an {@link
 * InMemoryLogService}, so that its route tests do not depend on the node's log streams.
 */
public final class InMemoryNode implements NodeUnderTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ActorTestKit testKit;
  private final ServerBinding binding;
  private final MeridianNode node;
  private final InMemoryLogService logs;
  private final PersistenceTestKit journal;
  private final HttpTestClient http;

  private InMemoryNode(
      ActorTestKit testKit, MeridianNode node, InMemoryLogService logs, ServerBinding binding) {
    this.node = node;
    this.logs = logs;
    this.testKit = testKit;
    this.binding = binding;
    this.journal = PersistenceTestKit.create(testKit.system());
    this.http = new HttpTestClient(HttpServer.hostAndPort(binding));
  }

  /**
   * Starts a node; {@code extraConfig} (HOCON) overrides the defaults. Returns once the node is an
   * Up member, so its API serves requests, and has loaded the credentials.
   */
  public static InMemoryNode start(String name, String extraConfig) {
    return start(
        name,
        extraConfig,
        (node, logs) ->
            HttpServer.start(
                node,
                logs,
                settings(node),
                () -> Cluster.get(node.system()).selfMember().status()));
  }

  /**
   * {@link #start(String, String)} with credentials enforced and {@code adminToken} the
   * administrator's bearer token.
   */
  public static InMemoryNode enforcing(String name, String adminToken, String extraConfig) {
    return start(
        name,
        "meridian.auth.mode = enforced\nmeridian.auth.admin-token = \""
            + adminToken
            + "\"\n"
            + extraConfig);
  }

  /**
   * {@link #start(String, String)}, with the HTTP API admitting requests by the member status
   * {@code selfStatus} gives instead of the cluster's.
   */
  public static InMemoryNode start(
      String name, String extraConfig, Supplier<MemberStatus> selfStatus) {
    return start(
        name,
        extraConfig,
        (node, logs) -> HttpServer.start(node, logs, settings(node), selfStatus));
  }

  private static HttpSettings settings(MeridianNode node) {
    return HttpSettings.fromConfig(node.system().settings().config());
  }

  private static InMemoryNode start(
      String name,
      String extraConfig,
      BiFunction<MeridianNode, LogService, CompletionStage<ServerBinding>> serveHttp) {
    Config config =
        ConfigFactory.parseString(extraConfig)
            .withFallback(
                ConfigFactory.parseString(
                    "pekko.remote.artery.canonical.port = 0\n"
                        + "meridian.http.port = 0\n"
                        + "meridian.series.groups = 4\n"
                        + "meridian.series.chunk-store = memory\n"
                        + "meridian.series.retention.default = 0\n"
                        // Storing its own metrics would add writes to tests that count them or
                        // make the journal fail; self-monitoring has tests of its own.
                        + "meridian.self-monitoring.enabled = false\n"))
            .withFallback(PersistenceTestKitPlugin.getInstance().config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.parseResources("cluster.conf"))
            .withFallback(ConfigFactory.load());
    ActorTestKit testKit = ActorTestKit.create(name, config.resolve());
    try {
      MeridianNode node = MeridianNode.start(testKit.system());
      InMemoryLogService logs = new InMemoryLogService();
      ServerBinding binding =
          serveHttp.apply(node, logs).toCompletableFuture().get(30, TimeUnit.SECONDS);
      // Credentials loaded: on a first start that persists the signing key, which would otherwise
      // race with a test that makes the next journal write fail or hold.
      node.auth().ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new InMemoryNode(testKit, node, logs, binding);
    } catch (Exception e) {
      testKit.shutdownTestKit();
      throw new IllegalStateException("node did not start", e);
    }
  }

  /** The node itself, for tests of route classes. */
  public MeridianNode node() {
    return node;
  }

  /** The log streams the log-excerpt API serves from: a test double of the node's. */
  public InMemoryLogService logs() {
    return logs;
  }

  public PersistenceTestKit journal() {
    return journal;
  }

  @Override
  public String hostAndPort() {
    return HttpServer.hostAndPort(binding);
  }

  @Override
  public HttpTestClient http() {
    return http;
  }

  /**
   * The body as JSON, after checking it is declared as JSON ({@code application/json}, or a
   * versioned type of Meridian's own API, {@code application/vnd.meridian.<resource>}).
   */
  public static JsonNode json(HttpResponse<String> response) {
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/json") && !type.startsWith("application/vnd.meridian.")) {
      throw new AssertionError(
          "not JSON: " + response.statusCode() + " " + response.headers() + " " + response.body());
    }
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One OpenTSDB data point as JSON, tagged host=web01. */
  public static String point(String metric, long ts, String value) {
    return "{\"metric\":\""
        + metric
        + "\",\"timestamp\":"
        + ts
        + ",\"value\":"
        + value
        + ",\"tags\":{\"host\":\"web01\"}}";
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
