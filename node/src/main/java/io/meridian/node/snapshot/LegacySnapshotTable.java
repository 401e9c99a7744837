package io.meridian.node.snapshot;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.meridian.node.Prepared;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * pekko-persistence-cassandra 1.1.0's snapshot table ({@code <keyspace>_snapshot.snapshots}), which
 * held Meridian's snapshots before {@link PartedSnapshotStore}: read when the parts table has no
 * newer snapshot of an entity, so that entities whose events before their last plugin snapshot are
 * deleted still recover, and deleted from alongside the parts table, so that a snapshot deleted
 * there cannot come back from here. Nothing writes to it any more.
 *
 * <p>It is read directly rather than through the plugin's actor: one row per snapshot, in the
 * plugin's format ({@code snapshot_data} with {@code ser_id} and {@code ser_manifest}, and the
 * optional {@code meta} columns). Rows of the pre-1.0 format (only the {@code snapshot} column)
 * were never written by Meridian and fail to load.
 */
final class LegacySnapshotTable {

  private final SnapshotStoreSettings settings;
  private final Prepared<Statements> statements;

  LegacySnapshotTable(CassandraSession session, SnapshotStoreSettings settings) {
    this.settings = settings;
    this.statements = new Prepared<>(() -> session.underlying().thenCompose(this::prepare));
  }

  private CompletionStage<Statements> prepare(CqlSession cql) {
    String qualified = settings.legacyKeyspace() + "." + settings.legacyTable();
    var newest =
        cql.prepareAsync(
            "SELECT sequence_nr, timestamp, ser_id, ser_manifest, snapshot_data, meta_ser_id,"
                + " meta_ser_manifest, meta FROM "
                + qualified
                + " WHERE persistence_id = ? AND sequence_nr <= ? AND sequence_nr >= ? LIMIT 1");
    var delete =
        cql.prepareAsync(
            "DELETE FROM " + qualified + " WHERE persistence_id = ? AND sequence_nr = ?");
    var deleteRange =
        cql.prepareAsync(
            "DELETE FROM "
                + qualified
                + " WHERE persistence_id = ? AND sequence_nr >= ? AND sequence_nr <= ?");
    return newest.thenCompose(
        n -> delete.thenCompose(d -> deleteRange.thenApply(dr -> new Statements(cql, n, d, dr))));
  }

  /** The snapshot with the highest sequence number in the range (inclusive), if any. */
  CompletionStage<Optional<LegacySnapshot>> newest(
      String persistenceId, long maxSequenceNr, long minSequenceNr) {
    return statements
        .get()
        .thenCompose(
            prepared ->
                prepared
                    .session()
                    .executeAsync(
                        prepared
                            .newest()
                            .boundStatementBuilder()
                            .setString(0, persistenceId)
                            .setLong(1, maxSequenceNr)
                            .setLong(2, minSequenceNr)
                            .setExecutionProfileName(settings.readProfile())
                            .setIdempotence(true)
                            .build())
                    .thenApply(
                        result -> Optional.ofNullable(result.one()).map(LegacySnapshotTable::row)));
  }

  private static LegacySnapshot row(Row row) {
    Serialized payload =
        row.isNull("snapshot_data")
            ? null
            : new Serialized(
                row.getInt("ser_id"),
                nonNull(row.getString("ser_manifest")),
                PartsTable.bytes(row.getByteBuffer("snapshot_data")));
    Serialized meta =
        row.isNull("meta")
            ? null
            : new Serialized(
                row.getInt("meta_ser_id"),
                nonNull(row.getString("meta_ser_manifest")),
                PartsTable.bytes(row.getByteBuffer("meta")));
    return new LegacySnapshot(row.getLong("sequence_nr"), row.getLong("timestamp"), payload, meta);
  }

  /** Deletes the snapshot at {@code sequenceNr}. */
  CompletionStage<Void> delete(String persistenceId, long sequenceNr) {
    return statements
        .get()
        .thenCompose(
            prepared ->
                prepared
                    .session()
                    .executeAsync(
                        write(
                            prepared
                                .delete()
                                .boundStatementBuilder()
                                .setString(0, persistenceId)
                                .setLong(1, sequenceNr))))
        .thenApply(result -> null);
  }

  /** Deletes the snapshots from {@code minSequenceNr} to {@code maxSequenceNr}. */
  CompletionStage<Void> deleteRange(String persistenceId, long minSequenceNr, long maxSequenceNr) {
    return statements
        .get()
        .thenCompose(
            prepared ->
                prepared
                    .session()
                    .executeAsync(
                        write(
                            prepared
                                .deleteRange()
                                .boundStatementBuilder()
                                .setString(0, persistenceId)
                                .setLong(1, minSequenceNr)
                                .setLong(2, maxSequenceNr))))
        .thenApply(result -> null);
  }

  private BoundStatement write(BoundStatementBuilder bound) {
    return bound.setExecutionProfileName(settings.writeProfile()).setIdempotence(true).build();
  }

  private static String nonNull(String manifest) {
    return manifest == null ? "" : manifest;
  }

  /**
   * One row of the table.
   *
   * @param payload the serialized snapshot, or null for a row of the pre-1.0 format
   * @param meta the serialized snapshot metadata, or null
   */
  record LegacySnapshot(long sequenceNr, long timestamp, Serialized payload, Serialized meta) {}

  /** The session and the statements prepared on it. */
  private record Statements(
      CqlSession session,
      PreparedStatement newest,
      PreparedStatement delete,
      PreparedStatement deleteRange) {}
}
