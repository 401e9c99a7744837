package io.meridian.node.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class SnapshotStoreSettingsTest {

  /** The node's configuration with persistence.conf, as the ops application includes it. */
  private static Config withPersistence(String overrides) {
    return ConfigFactory.load(
        ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.parseResources("persistence.conf")));
  }

  @Test
  void isTheDefaultSnapshotStoreOfCassandraDeployments() {
    Config config = withPersistence("meridian.cassandra.keyspace = metrics");

    assertThat(config.getString("pekko.persistence.snapshot-store.plugin"))
        .isEqualTo("meridian.snapshot-store");
    SnapshotStoreSettings settings =
        SnapshotStoreSettings.from(config.getConfig("meridian.snapshot-store"));
    assertThat(settings)
        .isEqualTo(
            new SnapshotStoreSettings(
                "metrics_snapshot",
                true,
                1024 * 1024,
                4,
                16,
                3,
                "pekko-persistence-cassandra-snapshot-profile",
                "meridian-read-profile",
                true,
                "metrics_snapshot",
                "snapshots"));
  }

  @Test
  void followsAutoCreateAndTakesItsOwnKeys() {
    Config config =
        withPersistence(
            "meridian.cassandra.auto-create = false\n"
                + "meridian.snapshot-store { part-size = 64KiB, parallelism = 2,"
                + " legacy.enabled = off }");

    SnapshotStoreSettings settings =
        SnapshotStoreSettings.from(config.getConfig("meridian.snapshot-store"));
    assertThat(settings.autoCreate()).isFalse();
    assertThat(settings.partSize()).isEqualTo(64 * 1024);
    assertThat(settings.parallelism()).isEqualTo(2);
    assertThat(settings.legacyEnabled()).isFalse();
  }

  @Test
  void refusesPartsThatMightNotFitAMutation() {
    assertThatThrownBy(
            () ->
                SnapshotStoreSettings.from(
                    withPersistence("meridian.snapshot-store.part-size = 16MiB")
                        .getConfig("meridian.snapshot-store")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("part-size");
    assertThatThrownBy(
            () ->
                SnapshotStoreSettings.from(
                    withPersistence("meridian.snapshot-store.part-size = 0")
                        .getConfig("meridian.snapshot-store")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("part-size");
    assertThatThrownBy(
            () ->
                SnapshotStoreSettings.from(
                    withPersistence("meridian.snapshot-store.max-parts-in-flight = 2")
                        .getConfig("meridian.snapshot-store")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-parts-in-flight");
  }

  @Test
  void testKitConfigurationsKeepTheirOwnSnapshotStore() {
    // Node tests do not include persistence.conf: the testkits' stores stay in charge.
    assertThat(ConfigFactory.load().getString("pekko.persistence.snapshot-store.plugin")).isEmpty();
  }
}
