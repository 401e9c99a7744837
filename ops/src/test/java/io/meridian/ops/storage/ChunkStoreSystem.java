package io.meridian.ops.storage;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.meridian.node.series.CassandraChunkStore;
import io.meridian.ops.cassandra.CassandraServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A local actor system with the application's Cassandra configuration, on the given Cassandra and
 * keyspace, for testing {@link CassandraChunkStore} without a whole node: the store gets the
 * journal's session and settings exactly as in a node, but no cluster, HTTP or entities start.
 */
public final class ChunkStoreSystem implements AutoCloseable {

  private final ActorSystem<Void> system;

  private ChunkStoreSystem(ActorSystem<Void> system) {
    this.system = system;
  }

  /** Starts a system whose configuration {@code extraConfig} (HOCON) overrides. */
  public static ChunkStoreSystem start(
      CassandraServer cassandra, String keyspace, String extraConfig) {
    InetSocketAddress cql = cassandra.contactPoint();
    Config overrides =
        ConfigFactory.parseString(extraConfig)
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "pekko.actor.provider",
                        "local",
                        "meridian.cassandra.keyspace",
                        keyspace,
                        // Otherwise terminating the system waits out netty's 2 s quiet periods.
                        "datastax-java-driver.advanced.netty.io-group.shutdown.quiet-period",
                        0,
                        "datastax-java-driver.advanced.netty.admin-group.shutdown.quiet-period",
                        0)))
            .withValue(
                "meridian.cassandra.contact-points",
                ConfigValueFactory.fromIterable(
                    List.of(cql.getHostString() + ":" + cql.getPort())));
    Config config = ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
    return new ChunkStoreSystem(ActorSystem.create(Behaviors.empty(), "chunks", config));
  }

  public static ChunkStoreSystem start(CassandraServer cassandra, String keyspace) {
    return start(cassandra, keyspace, "");
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The store as a node makes it, from {@code meridian.cassandra}. */
  public CassandraChunkStore store() {
    return CassandraChunkStore.fromConfig(system);
  }

  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
  }
}
