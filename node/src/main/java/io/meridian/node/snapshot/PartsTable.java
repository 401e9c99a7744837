package io.meridian.node.snapshot;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.meridian.node.AsyncLimiter;
import io.meridian.node.Prepared;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The statements of {@link PartedSnapshotStore} on the parts table {@value
 * SnapshotTableSchema#TABLE}: writing a snapshot's parts and then its header, finding the newest
 * snapshot in a range of sequence numbers, reading parts, and deleting snapshots.
 */
final class PartsTable {

  /** Creating a table on a loaded cluster can take longer than a request's usual timeout. */
  private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(60);

  private static final String HEADER_COLUMNS =
      "timestamp, size, part_size, checksum, ser_id, ser_manifest, meta_ser_id,"
          + " meta_ser_manifest, meta";

  private final ActorSystem system;
  private final SnapshotStoreSettings settings;
  private final Prepared<Statements> statements;
  private final AsyncLimiter limiter;

  PartsTable(ActorSystem system, CassandraSession session, SnapshotStoreSettings settings) {
    this.system = system;
    this.settings = settings;
    this.statements = new Prepared<>(() -> session.underlying().thenCompose(this::prepare));
    this.limiter = new AsyncLimiter(settings.maxPartsInFlight());
  }

  /** Prepares the statements (creating the table first if auto-create is on). */
  CompletionStage<Statements> statements() {
    return statements.get();
  }

  private CompletionStage<Statements> prepare(CqlSession cql) {
    CompletionStage<?> table =
        settings.autoCreate()
            ? cql.executeAsync(
                SimpleStatement.newInstance(SnapshotTableSchema.createTable(settings.keyspace()))
                    .setTimeout(SCHEMA_TIMEOUT))
            : CompletableFuture.completedFuture(null);
    String qualified = settings.keyspace() + "." + SnapshotTableSchema.TABLE;
    return table.thenCompose(
        created -> {
          var writePart =
              cql.prepareAsync(
                  "INSERT INTO "
                      + qualified
                      + " (persistence_id, sequence_nr, part, timestamp, data)"
                      + " VALUES (?, ?, ?, ?, ?)");
          var writeHeader =
              cql.prepareAsync(
                  "INSERT INTO "
                      + qualified
                      + " (persistence_id, sequence_nr, part, "
                      + HEADER_COLUMNS
                      + ") VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          // The first row in clustering order: the highest sequence number's lowest part, which is
          // the header (part 0) if the save completed.
          var newest =
              cql.prepareAsync(
                  "SELECT sequence_nr, part, "
                      + HEADER_COLUMNS
                      + " FROM "
                      + qualified
                      + " WHERE persistence_id = ? AND sequence_nr <= ? AND sequence_nr >= ?"
                      + " LIMIT 1");
          var readPart =
              cql.prepareAsync(
                  "SELECT data FROM "
                      + qualified
                      + " WHERE persistence_id = ? AND sequence_nr = ? AND part = ?");
          var delete =
              cql.prepareAsync(
                  "DELETE FROM " + qualified + " WHERE persistence_id = ? AND sequence_nr = ?");
          var deleteRange =
              cql.prepareAsync(
                  "DELETE FROM "
                      + qualified
                      + " WHERE persistence_id = ? AND sequence_nr >= ? AND sequence_nr <= ?");
          return writePart.thenCompose(
              wp ->
                  writeHeader.thenCompose(
                      wh ->
                          newest.thenCompose(
                              n ->
                                  readPart.thenCompose(
                                      rp ->
                                          delete.thenCompose(
                                              d ->
                                                  deleteRange.thenApply(
                                                      dr ->
                                                          new Statements(
                                                              cql, wp, wh, n, rp, d, dr)))))));
        });
  }

  /**
   * Writes the snapshot: its data parts, at most {@code parallelism} at a time, and once all of
   * them are written, its header, which makes it visible to loads.
   */
  CompletionStage<Void> write(String persistenceId, SnapshotHeader header, byte[] data) {
    return statements()
        .thenCompose(
            prepared ->
                Source.range(1, header.parts())
                    .mapAsyncUnordered(
                        settings.parallelism(),
                        part -> writePart(prepared, persistenceId, header, data, part))
                    .runWith(Sink.ignore(), system)
                    .thenCompose(
                        done -> {
                          BoundStatementBuilder bound =
                              prepared
                                  .writeHeader()
                                  .boundStatementBuilder()
                                  .setString(0, persistenceId)
                                  .setLong(1, header.sequenceNr())
                                  .setLong(2, header.timestamp())
                                  .setInt(3, header.size())
                                  .setInt(4, header.partSize())
                                  .setInt(5, header.checksum())
                                  .setInt(6, header.serializerId())
                                  .setString(7, header.manifest());
                          // Without metadata the meta columns stay unset: no null cells.
                          if (header.meta() != null) {
                            bound =
                                bound
                                    .setInt(8, header.meta().serializerId())
                                    .setString(9, header.meta().manifest())
                                    .setByteBuffer(10, ByteBuffer.wrap(header.meta().bytes()));
                          }
                          return prepared.session().executeAsync(write(bound));
                        }))
        .thenApply(result -> null);
  }

  /** The newest row in the range: a snapshot's header if its save completed, else a data part. */
  CompletionStage<Optional<Newest>> newest(
      String persistenceId, long maxSequenceNr, long minSequenceNr) {
    return statements()
        .thenCompose(
            prepared ->
                prepared
                    .session()
                    .executeAsync(
                        read(
                            prepared
                                .newest()
                                .boundStatementBuilder()
                                .setString(0, persistenceId)
                                .setLong(1, maxSequenceNr)
                                .setLong(2, minSequenceNr)))
                    .thenApply(
                        result -> Optional.ofNullable(result.one()).map(PartsTable::newest)));
  }

  private static Newest newest(Row row) {
    long sequenceNr = row.getLong("sequence_nr");
    long timestamp = row.getLong("timestamp");
    if (row.getInt("part") != 0) {
      return new Newest(sequenceNr, timestamp, null);
    }
    Serialized meta =
        row.isNull("meta")
            ? null
            : new Serialized(
                row.getInt("meta_ser_id"),
                nonNull(row.getString("meta_ser_manifest")),
                bytes(row.getByteBuffer("meta")));
    return new Newest(
        sequenceNr,
        timestamp,
        new SnapshotHeader(
            sequenceNr,
            timestamp,
            row.getInt("size"),
            row.getInt("part_size"),
            row.getInt("checksum"),
            row.getInt("ser_id"),
            nonNull(row.getString("ser_manifest")),
            meta));
  }

  /**
   * Reads the data parts of the snapshot {@code header} describes, at most {@code parallelism} at a
   * time, and puts them together.
   *
   * @return its bytes, or an {@link IncompleteSnapshotException} if a part is missing or they do
   *     not match the header
   */
  CompletionStage<byte[]> read(String persistenceId, SnapshotHeader header) {
    SnapshotParts.Assembly assembly = new SnapshotParts.Assembly(header);
    return statements()
        .thenCompose(
            prepared ->
                Source.range(1, header.parts())
                    .mapAsyncUnordered(
                        settings.parallelism(),
                        part -> readPart(prepared, persistenceId, header, part, assembly))
                    .runWith(Sink.ignore(), system))
        .thenApply(done -> assembly.finish());
  }

  private CompletionStage<?> writePart(
      Statements prepared, String persistenceId, SnapshotHeader header, byte[] data, int part) {
    BoundStatement statement =
        write(
            prepared
                .writePart()
                .boundStatementBuilder()
                .setString(0, persistenceId)
                .setLong(1, header.sequenceNr())
                .setInt(2, part)
                .setLong(3, header.timestamp())
                .setByteBuffer(4, SnapshotParts.part(data, header.partSize(), part)));
    return limiter.submit(() -> prepared.session().executeAsync(statement));
  }

  private CompletionStage<Integer> readPart(
      Statements prepared,
      String persistenceId,
      SnapshotHeader header,
      int part,
      SnapshotParts.Assembly assembly) {
    BoundStatement statement =
        read(
            prepared
                .readPart()
                .boundStatementBuilder()
                .setString(0, persistenceId)
                .setLong(1, header.sequenceNr())
                .setInt(2, part));
    return limiter
        .submit(() -> prepared.session().executeAsync(statement))
        .thenApply(
            result -> {
              Row row = result.one();
              if (row == null) {
                throw new IncompleteSnapshotException(
                    "Snapshot "
                        + header.sequenceNr()
                        + " of "
                        + persistenceId
                        + " lacks part "
                        + part
                        + " of "
                        + header.parts());
              }
              assembly.add(part, row.getByteBuffer("data"));
              return part;
            });
  }

  /** Deletes all parts of the snapshot at {@code sequenceNr}. */
  CompletionStage<Void> delete(String persistenceId, long sequenceNr) {
    return statements()
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

  /**
   * Deletes all parts of all snapshots from {@code minSequenceNr} to {@code maxSequenceNr}, whether
   * their saves completed or not, with one range tombstone.
   */
  CompletionStage<Void> deleteRange(String persistenceId, long minSequenceNr, long maxSequenceNr) {
    return statements()
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
    // Writing a part or header again writes the same cells, and deletes delete the same rows:
    // safe to retry.
    return bound.setExecutionProfileName(settings.writeProfile()).setIdempotence(true).build();
  }

  private BoundStatement read(BoundStatementBuilder bound) {
    return bound.setExecutionProfileName(settings.readProfile()).setIdempotence(true).build();
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer == null ? 0 : buffer.remaining()];
    if (buffer != null) {
      buffer.duplicate().get(bytes);
    }
    return bytes;
  }

  private static String nonNull(String manifest) {
    return manifest == null ? "" : manifest;
  }

  /**
   * The newest row of a range: the snapshot's header if its save completed (header not null), else
   * one of its data parts, of which only the sequence number and time are of use.
   */
  record Newest(long sequenceNr, long timestamp, SnapshotHeader header) {}

  /** The session and the statements prepared on it. */
  private record Statements(
      CqlSession session,
      PreparedStatement writePart,
      PreparedStatement writeHeader,
      PreparedStatement newest,
      PreparedStatement readPart,
      PreparedStatement delete,
      PreparedStatement deleteRange) {}
}
