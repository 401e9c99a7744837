package io.meridian.node.series;

import java.util.List;

/**
 * The chunk table {@code series_chunks}: its CQL, and the rules a {@link StoredChunk} must follow
 * to fit its key. Both chunk stores check chunks with {@link #check}, so a chunk the Cassandra
 * table would file under the wrong day fails in unit tests on {@link InMemoryChunkStore} too.
 *
 * <p>{@link #createTable} is the statement {@link CassandraChunkStore} runs when auto-create is on;
 * {@code docs/cassandra-schema.cql} carries the same table for production, and an ops test checks
 * that the two agree.
 */
public final class ChunkTableSchema {

  /** The table's name, in the journal keyspace. */
  public static final String TABLE = "series_chunks";

  /**
   * The longest TTL Cassandra accepts (20 years), so both stores refuse the same TTLs rather than
   * only the Cassandra one.
   */
  public static final int MAX_TTL_SECONDS = 630_720_000;

  private ChunkTableSchema() {}

  /**
   * {@code CREATE TABLE IF NOT EXISTS} for the chunk table in {@code keyspace}. See {@code
   * docs/cassandra-schema.cql} for why the key, compaction and gc_grace_seconds are what they are.
   */
  public static String createTable(String keyspace) {
    return "CREATE TABLE IF NOT EXISTS "
        + keyspace
        + "."
        + TABLE
        + " (\n"
        + "  tenant text,\n"
        + "  grp int,\n"
        + "  day bigint,\n"
        + "  series_id bigint,\n"
        + "  start_ms bigint,\n"
        + "  seq bigint,\n"
        + "  end_ms bigint,\n"
        + "  samples int,\n"
        + "  data blob,\n"
        + "  PRIMARY KEY ((tenant, grp, day), series_id, start_ms, seq))\n"
        + "  WITH gc_grace_seconds = 10800\n"
        + "  AND compaction = {\n"
        + "    'class' : 'TimeWindowCompactionStrategy',\n"
        + "    'compaction_window_unit' : 'DAYS',\n"
        + "    'compaction_window_size' : 1\n"
        + "  }";
  }

  /**
   * Fails unless every chunk fits the table's key, and the TTL is one Cassandra accepts.
   *
   * @throws IllegalArgumentException naming the first chunk that does not fit: one whose {@code
   *     day} is not the UTC day of its {@code startMs}, that ends before it starts or on another
   *     day, that has a negative sample count, or no tenant or data
   */
  static void check(List<StoredChunk> chunks, int ttlSeconds) {
    if (ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
      throw new IllegalArgumentException(
          "TTL must be 0 (none) to " + MAX_TTL_SECONDS + " seconds, not " + ttlSeconds);
    }
    for (StoredChunk chunk : chunks) {
      if (chunk.tenant() == null || chunk.data() == null) {
        // Not the chunk's toString, which needs both.
        throw new IllegalArgumentException(
            "The chunk of series "
                + chunk.seriesId()
                + " at "
                + chunk.startMs()
                + " needs a tenant and data");
      }
      if (chunk.day() != StoredChunk.dayOf(chunk.startMs())) {
        throw new IllegalArgumentException(
            chunk + " is filed under day " + chunk.day() + ", not the day of its start");
      }
      if (chunk.endMs() < chunk.startMs() || StoredChunk.dayOf(chunk.endMs()) != chunk.day()) {
        throw new IllegalArgumentException(chunk + " must end on the UTC day it starts, after it");
      }
      if (chunk.samples() < 0) {
        throw new IllegalArgumentException(chunk + " has a negative sample count");
      }
    }
  }
}
