package io.meridian.ops.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.meridian.node.MeridianNode;
import io.meridian.ops.Main;
import io.meridian.ops.cassandra.CassandraServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A Meridian node started in the test JVM with the application's own configuration, on free ports,
 * persisting to the given Cassandra under its own keyspace.
 */
public final class TestNode implements AutoCloseable {

  private final ActorSystem<Void> system;
  private final Main.Running running;

  private TestNode(ActorSystem<Void> system, Main.Running running) {
    this.system = system;
    this.running = running;
  }

  public static TestNode start(CassandraServer cassandra, String keyspace) {
    return start(cassandra, keyspace, "");
  }

  /** Starts a node whose configuration {@code extraConfig} (HOCON) overrides. */
  public static TestNode start(CassandraServer cassandra, String keyspace, String extraConfig) {
    InetSocketAddress cql = cassandra.contactPoint();
    Config overrides =
        ConfigFactory.parseString(extraConfig)
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "pekko.remote.artery.canonical.port",
                        0,
                        "meridian.http.port",
                        0,
                        "pekko.management.http.port",
                        0,
                        "meridian.cassandra.keyspace",
                        keyspace,
                        // Credentials have tests of their own.
                        "meridian.auth.mode",
                        "open",
                        // Tests write fixed timestamps of past years (OpenTSDB's examples among
                        // them); retention has tests of its own.
                        "meridian.series.retention.default",
                        "0",
                        // Storing its own metrics adds writes to tests that count them;
                        // self-monitoring has tests of its own.
                        "meridian.self-monitoring.enabled",
                        false)))
            .withValue(
                "meridian.cassandra.contact-points",
                ConfigValueFactory.fromIterable(
                    List.of(cql.getHostString() + ":" + cql.getPort())));
    Config config = ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "meridian", config);
    try {
      return new TestNode(
          system, Main.init(system).toCompletableFuture().get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("node did not start", e);
    }
  }

  /** The node itself, for its services. */
  public MeridianNode node() {
    return running.node();
  }

  /** The node's actor system. */
  public ActorSystem<Void> system() {
    return system;
  }

  /** Base URL of the node's HTTP API, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://" + running.httpAddress();
  }

  /** Base URL of the node's Pekko Management API ({@code /ready}, {@code /cluster/members}…). */
  public String managementUrl() {
    return running.management().toString();
  }

  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
  }
}
