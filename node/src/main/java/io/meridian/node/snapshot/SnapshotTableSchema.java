package io.meridian.node.snapshot;

/**
 * The parts table {@value #TABLE} of {@link PartedSnapshotStore}: its CQL, which the store runs
 * when auto-create is on and which {@code docs/cassandra-schema.cql} carries for production (an ops
 * test checks that the two agree). See {@link PartedSnapshotStore} for why the key is what it is.
 */
public final class SnapshotTableSchema {

  /** The table's name, in the snapshot keyspace. */
  public static final String TABLE = "snapshot_parts";

  private SnapshotTableSchema() {}

  /**
   * {@code CREATE TABLE IF NOT EXISTS} for the parts table in {@code keyspace}. gc_grace_seconds
   * and compaction are those of the plugin's snapshot table ({@code persistence.conf}): snapshots
   * older than the latest two are deleted, and one that a lagging replica brings back is older than
   * the latest and never loaded, so tombstones need not wait 10 days.
   */
  public static String createTable(String keyspace) {
    return "CREATE TABLE IF NOT EXISTS "
        + keyspace
        + "."
        + TABLE
        + " (\n"
        + "  persistence_id text,\n"
        + "  sequence_nr bigint,\n"
        + "  part int,\n"
        + "  timestamp bigint,\n"
        + "  size int,\n"
        + "  part_size int,\n"
        + "  checksum int,\n"
        + "  ser_id int,\n"
        + "  ser_manifest text,\n"
        + "  meta_ser_id int,\n"
        + "  meta_ser_manifest text,\n"
        + "  meta blob,\n"
        + "  data blob,\n"
        + "  PRIMARY KEY (persistence_id, sequence_nr, part))\n"
        + "  WITH CLUSTERING ORDER BY (sequence_nr DESC, part ASC)\n"
        + "  AND gc_grace_seconds = 10800\n"
        + "  AND compaction = {\n"
        + "    'class' : 'SizeTieredCompactionStrategy',\n"
        + "    'tombstone_compaction_interval' : 10800,\n"
        + "    'unchecked_tombstone_compaction' : true\n"
        + "  }";
  }
}
