package io.meridian.node.snapshot;

import com.typesafe.config.Config;
import java.util.Objects;

/**
 * Settings of {@link PartedSnapshotStore}, read from its plugin section ({@code
 * meridian.snapshot-store} in {@code persistence.conf}).
 *
 * @param keyspace the keyspace of the parts table: the snapshot keyspace of pekko-persistence-
 *     cassandra ({@code <meridian.cassandra.keyspace>_snapshot}), which its session creates
 * @param autoCreate whether to create the parts table if it does not exist
 * @param partSize most bytes of a snapshot per row, at most {@link SnapshotParts#MAX_PART_SIZE}
 * @param parallelism most part writes or reads of one save or load in flight at a time
 * @param maxPartsInFlight most part writes and reads of all saves and loads in flight at a time
 * @param maxLoadAttempts snapshots of one load that may fail to load before the load fails
 * @param writeProfile driver profile of writes and deletes
 * @param readProfile driver profile of reads
 * @param legacyEnabled whether loads fall back to, and deletes also apply to, the legacy table
 * @param legacyKeyspace keyspace of pekko-persistence-cassandra's snapshot table
 * @param legacyTable name of pekko-persistence-cassandra's snapshot table
 */
public record SnapshotStoreSettings(
    String keyspace,
    boolean autoCreate,
    int partSize,
    int parallelism,
    int maxPartsInFlight,
    int maxLoadAttempts,
    String writeProfile,
    String readProfile,
    boolean legacyEnabled,
    String legacyKeyspace,
    String legacyTable) {

  public SnapshotStoreSettings {
    Objects.requireNonNull(keyspace, "keyspace");
    Objects.requireNonNull(writeProfile, "writeProfile");
    Objects.requireNonNull(readProfile, "readProfile");
    Objects.requireNonNull(legacyKeyspace, "legacyKeyspace");
    Objects.requireNonNull(legacyTable, "legacyTable");
    if (partSize < 1 || partSize > SnapshotParts.MAX_PART_SIZE) {
      throw new IllegalArgumentException(
          "part-size must be 1 to "
              + SnapshotParts.MAX_PART_SIZE
              + " bytes (well below Cassandra's largest mutation), not "
              + partSize);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be positive, not " + parallelism);
    }
    if (maxPartsInFlight < parallelism) {
      throw new IllegalArgumentException(
          "max-parts-in-flight must be at least parallelism ("
              + parallelism
              + "), not "
              + maxPartsInFlight);
    }
    if (maxLoadAttempts < 1) {
      throw new IllegalArgumentException(
          "max-load-attempts must be positive, not " + maxLoadAttempts);
    }
  }

  /** The settings in {@code plugin}, the plugin's configuration section. */
  public static SnapshotStoreSettings from(Config plugin) {
    long partSize = plugin.getBytes("part-size");
    if (partSize > SnapshotParts.MAX_PART_SIZE) {
      throw new IllegalArgumentException(
          "part-size must be at most " + SnapshotParts.MAX_PART_SIZE + " bytes, not " + partSize);
    }
    Config legacy = plugin.getConfig("legacy");
    return new SnapshotStoreSettings(
        plugin.getString("keyspace"),
        plugin.getBoolean("auto-create"),
        (int) partSize,
        plugin.getInt("parallelism"),
        plugin.getInt("max-parts-in-flight"),
        plugin.getInt("max-load-attempts"),
        plugin.getString("write-profile"),
        plugin.getString("read-profile"),
        legacy.getBoolean("enabled"),
        legacy.getString("keyspace"),
        legacy.getString("table"));
  }
}
