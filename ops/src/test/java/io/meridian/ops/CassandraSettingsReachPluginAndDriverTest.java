package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code meridian.cassandra} keys and their environment variables end up where
 * pekko-persistence-cassandra and the DataStax driver read them.
 */
class CassandraSettingsReachPluginAndDriverTest {

  private static final String JOURNAL = "pekko.persistence.cassandra.journal.";
  private static final String SNAPSHOT = "pekko.persistence.cassandra.snapshot.";
  private static final String PROFILES = "datastax-java-driver.profiles.";
  private static final String WRITE_PROFILE = PROFILES + "pekko-persistence-cassandra-profile.";
  private static final String SNAPSHOT_PROFILE =
      PROFILES + "pekko-persistence-cassandra-snapshot-profile.";
  private static final String READ_PROFILE = PROFILES + "meridian-read-profile.";
  private static final String CONSISTENCY = "basic.request.consistency";

  @Test
  void developmentDefaultsStayASingleNodeWithAutoCreate() {
    Config config = load(Map.of());

    assertThat(config.getString(JOURNAL + "keyspace")).isEqualTo("meridian");
    assertThat(config.getString(SNAPSHOT + "keyspace")).isEqualTo("meridian_snapshot");
    for (String plugin : new String[] {JOURNAL, SNAPSHOT}) {
      assertThat(config.getBoolean(plugin + "keyspace-autocreate")).isTrue();
      assertThat(config.getBoolean(plugin + "tables-autocreate")).isTrue();
      assertThat(config.getString(plugin + "replication-strategy")).isEqualTo("SimpleStrategy");
      assertThat(config.getInt(plugin + "replication-factor")).isEqualTo(1);
    }
    assertThat(config.getString(WRITE_PROFILE + CONSISTENCY)).isEqualTo("QUORUM");
    assertThat(config.getString(SNAPSHOT_PROFILE + CONSISTENCY)).isEqualTo("QUORUM");
    assertThat(config.getString(READ_PROFILE + CONSISTENCY)).isEqualTo("QUORUM");
    assertThat(
            config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"))
        .isEqualTo("datacenter1");
    assertThat(config.getString("meridian.cassandra.username")).isEmpty();
    assertThat(config.hasPath("datastax-java-driver.advanced.auth-provider.class")).isFalse();
  }

  @Test
  void pluginsReadThroughTheProfilesWhoseConsistencyMeridianSets() {
    Config config = load(Map.of());

    assertThat(config.getString("pekko.persistence.cassandra.write-profile"))
        .isEqualTo("pekko-persistence-cassandra-profile");
    assertThat(config.getString("pekko.persistence.cassandra.read-profile"))
        .isEqualTo("meridian-read-profile");
    assertThat(config.getString("pekko.persistence.cassandra.query.read-profile"))
        .isEqualTo("meridian-read-profile");
    assertThat(config.getString(SNAPSHOT + "write-profile"))
        .isEqualTo("pekko-persistence-cassandra-snapshot-profile");
    assertThat(config.getString(SNAPSHOT + "read-profile")).isEqualTo("meridian-read-profile");
    assertThat(config.getBoolean(READ_PROFILE + "basic.request.default-idempotence")).isTrue();
  }

  @Test
  void environmentVariablesSetProductionValues() {
    Config config =
        load(
            Map.of(
                "MERIDIAN_CASSANDRA_KEYSPACE", "metrics",
                "MERIDIAN_CASSANDRA_LOCAL_DC", "eu-west",
                "MERIDIAN_CASSANDRA_AUTO_CREATE", "false",
                "MERIDIAN_CASSANDRA_REPLICATION_STRATEGY", "NetworkTopologyStrategy",
                "MERIDIAN_CASSANDRA_DC_REPLICATION", "eu-west:3,us-east:3",
                "MERIDIAN_CASSANDRA_WRITE_CONSISTENCY", "LOCAL_QUORUM",
                "MERIDIAN_CASSANDRA_READ_CONSISTENCY", "LOCAL_ONE",
                "MERIDIAN_CASSANDRA_USERNAME", "meridian",
                "MERIDIAN_CASSANDRA_PASSWORD", "s3cret"));

    assertThat(config.getString(JOURNAL + "keyspace")).isEqualTo("metrics");
    assertThat(config.getString(SNAPSHOT + "keyspace")).isEqualTo("metrics_snapshot");
    for (String plugin : new String[] {JOURNAL, SNAPSHOT}) {
      assertThat(config.getBoolean(plugin + "keyspace-autocreate")).isFalse();
      assertThat(config.getBoolean(plugin + "tables-autocreate")).isFalse();
      assertThat(config.getString(plugin + "replication-strategy"))
          .isEqualTo("NetworkTopologyStrategy");
      // The plugin splits a string at commas itself.
      assertThat(config.getString(plugin + "data-center-replication-factors"))
          .isEqualTo("eu-west:3,us-east:3");
    }
    assertThat(
            config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"))
        .isEqualTo("eu-west");
    assertThat(config.getString(WRITE_PROFILE + CONSISTENCY)).isEqualTo("LOCAL_QUORUM");
    assertThat(config.getString(SNAPSHOT_PROFILE + CONSISTENCY)).isEqualTo("LOCAL_QUORUM");
    assertThat(config.getString(READ_PROFILE + CONSISTENCY)).isEqualTo("LOCAL_ONE");
    assertThat(config.getString("meridian.cassandra.username")).isEqualTo("meridian");
    assertThat(config.getString("meridian.cassandra.password")).isEqualTo("s3cret");
  }

  @Test
  void replicationFactorsAsAListAndSimpleStrategyFactorReachBothPlugins() {
    Config config =
        load(
            Map.of("MERIDIAN_CASSANDRA_REPLICATION_FACTOR", "3"),
            "meridian.cassandra.data-center-replication-factors = [\"dc1:3\", \"dc2:2\"]");

    for (String plugin : new String[] {JOURNAL, SNAPSHOT}) {
      assertThat(config.getInt(plugin + "replication-factor")).isEqualTo(3);
      assertThat(config.getStringList(plugin + "data-center-replication-factors"))
          .containsExactly("dc1:3", "dc2:2");
    }
  }

  private static Config load(Map<String, String> environment) {
    return load(environment, "");
  }

  /**
   * The node's configuration as {@link NodeConfig#load()} builds it, with {@code environment}
   * standing in for the process environment: a {@code ${?VAR}} substitution finds a root-level key
   * of that name before it looks at the real environment.
   */
  private static Config load(Map<String, String> environment, String hocon) {
    return NodeConfig.load(
        environment,
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseMap(environment)));
  }
}
