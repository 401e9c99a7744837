package io.meridian.ops.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.meridian.ops.cassandra.CassandraServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** A CQL session on a test Cassandra, for reading schema and setting up keyspaces directly. */
public final class Cql {

  private Cql() {}

  /** A new session on {@code cassandra}; the caller closes it. */
  public static CqlSession connect(CassandraServer cassandra) {
    InetSocketAddress cql = cassandra.contactPoint();
    return CqlSession.builder()
        .withLocalDatacenter(CassandraServer.LOCAL_DATACENTER)
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                // Replaces, rather than adds to, the application.conf contact points on the
                // classpath, which name the development Cassandra on port 9042.
                .withStringList(
                    DefaultDriverOption.CONTACT_POINTS,
                    List.of(cql.getHostString() + ":" + cql.getPort()))
                // Schema changes on a single test node can take longer than the 2 s default.
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                // Otherwise every close() waits out netty's 2 s quiet period.
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build())
        .build();
  }

  /** Drops {@code keyspace} and its snapshot keyspace, as a test's clean-up. */
  public static void dropKeyspaces(CqlSession session, String keyspace) {
    session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
    session.execute("DROP KEYSPACE IF EXISTS " + keyspace + "_snapshot");
  }
}
