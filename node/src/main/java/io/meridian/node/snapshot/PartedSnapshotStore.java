package io.meridian.node.snapshot;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * Pekko persistence snapshot store in Cassandra that splits each snapshot into parts of at most
 * {@code part-size} bytes (1 MiB by default), one row each, so that a snapshot of any size fits
 * Cassandra's largest mutation (half a commit log segment, 16 MiB by default), which bounds a
 * snapshot of pekko-persistence-cassandra's own store (one row). It is the default snapshot store
 * of Cassandra deployments ({@code meridian.snapshot-store} in {@code persistence.conf}).
 *
 * <h2>Table</h2>
 *
 * {@value SnapshotTableSchema#TABLE} in the plugin's snapshot keyspace ({@code
 * <keyspace>_snapshot}, created by the plugin's session, which this store shares with the journal:
 * it is the read journal's, as for the chunk table). Key {@code ((persistence_id), sequence_nr
 * DESC, part ASC)}:
 *
 * <ul>
 *   <li>Part 0 is the <b>header</b> (time, serializer id and manifest, size, part size, CRC32C of
 *       the serialized bytes, optional metadata) without data; parts 1 to n hold the bytes.
 *   <li>One partition per persistence id, as in the plugin's table, so that a load finds the newest
 *       snapshot with one single-row query ({@code sequence_nr <= ? LIMIT 1}: the newest snapshot's
 *       lowest part), and a delete by sequence numbers is one range tombstone that takes every part
 *       of every snapshot in the range, including parts of saves that never completed. A partition
 *       holds the kept snapshots (two, plus one being saved), so it is a few times a snapshot's
 *       size; Cassandra reads one snapshot's rows of it by the clustering index. A separate header
 *       table with one partition per snapshot would spread the bytes over more nodes, but needs a
 *       header-driven delete that misses the parts of a save that crashed before its header, and
 *       two writes to keep in step.
 * </ul>
 *
 * <h2>Commit protocol</h2>
 *
 * A save writes the data parts (up to {@code parallelism} at a time, and up to {@code
 * max-parts-in-flight} for all saves and loads of the node) and, only once all succeeded, the
 * header: a snapshot without a header is invisible to loads. A load takes the newest row in the
 * criteria's range; if it is not a header, the save of that sequence number did not complete and
 * the load goes on below it. With a header, it reads parts 1 to n (again up to {@code parallelism}
 * at a time) and checks their count, lengths and checksum against the header; a mismatch (a part
 * deleted meanwhile, parts of two saves of the same sequence number after a crash) skips to the
 * next older snapshot too. Any other failure to read or deserialize a snapshot counts as one of
 * {@code max-load-attempts} and also moves on, as the plugin's store does; when none is left the
 * load fails, and with it recovery ({@code snapshot-is-optional} stays false, as for the plugin:
 * events before a snapshot may be deleted, so recovering without it would give a wrong state).
 * Writes use the snapshot write profile, reads the read profile, both idempotent.
 *
 * <h2>Migration</h2>
 *
 * With {@code legacy.enabled} (the default), a load also asks the plugin's table ({@link
 * LegacySnapshotTable}) for a snapshot newer than the one found here (any, if none was found) and
 * takes it if there is one: clusters upgraded from the plugin's store recover entities whose events
 * before their last plugin snapshot are deleted, and during a rolling upgrade an entity snapshotted
 * by an old node after a new one is recovered from the newer snapshot. Deletes apply to both
 * tables, so a deleted plugin snapshot cannot be loaded as a fallback after the parts table lost
 * its newer ones. Turn it off once no entity has a plugin snapshot left.
 */
public final class PartedSnapshotStore extends SnapshotStore {

  private final SnapshotStoreSettings settings;
  private final Serialization serialization;
  private final Executor executor;
  private final PartsTable parts;
  private final LegacySnapshotTable legacy;
  private final LoggingAdapter log;

  /** Made by Pekko persistence with the plugin's configuration section. */
  public PartedSnapshotStore(Config config) {
    this.settings = SnapshotStoreSettings.from(config);
    // Made here, on the actor's thread, once: loads log from their futures' threads.
    this.log = log();
    ActorSystem system = context().system();
    this.serialization = SerializationExtension.get(system);
    // Serializing and putting together snapshots of tens of megabytes must not run on the driver's
    // I/O threads.
    this.executor = context().dispatcher();
    // The read journal's session is the journal's and the plugin's snapshot store's, and the read
    // journal registers it with the plugin's keyspace and table creation (see
    // CassandraChunkStore), which creates the snapshot keyspace this store's table lives in.
    CassandraSession session =
        PersistenceQuery.get(system)
            .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier())
            .session();
    this.parts = new PartsTable(system, session, settings);
    this.legacy = settings.legacyEnabled() ? new LegacySnapshotTable(session, settings) : null;
  }

  @Override
  public void preStart() {
    // Creates the table and prepares the statements before the first recovery needs them; a
    // failure here is retried at first use.
    parts.statements();
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    return FutureConverters.asScala(load(persistenceId, criteria).toCompletableFuture());
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    return FutureConverters.asScala(save(metadata, snapshot).toCompletableFuture());
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    String persistenceId = metadata.persistenceId();
    long sequenceNr = metadata.sequenceNr();
    CompletionStage<Void> deleted = parts.delete(persistenceId, sequenceNr);
    if (legacy != null) {
      deleted = deleted.thenCompose(done -> legacy.delete(persistenceId, sequenceNr));
    }
    return FutureConverters.asScala(deleted.toCompletableFuture());
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    CompletionStage<Void> deleted = delete(persistenceId, criteria);
    return FutureConverters.asScala(deleted.toCompletableFuture());
  }

  private CompletionStage<Optional<SelectedSnapshot>> load(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    CompletionStage<Optional<SelectedSnapshot>> parted =
        SnapshotSearch.newest(
            partedCandidates(persistenceId),
            criteria,
            settings.maxLoadAttempts(),
            message -> warn(persistenceId, message));
    if (legacy == null) {
      return parted;
    }
    return parted.thenCompose(
        found -> {
          long above =
              found.map(s -> s.metadata().sequenceNr() + 1).orElse(criteria.minSequenceNr());
          long minSequenceNr = Math.max(above, criteria.minSequenceNr());
          if (minSequenceNr > criteria.maxSequenceNr()) {
            return CompletableFuture.completedFuture(found);
          }
          SnapshotSelectionCriteria newer =
              new SnapshotSelectionCriteria(
                  criteria.maxSequenceNr(),
                  criteria.maxTimestamp(),
                  minSequenceNr,
                  criteria.minTimestamp());
          return SnapshotSearch.newest(
                  legacyCandidates(persistenceId),
                  newer,
                  settings.maxLoadAttempts(),
                  message -> warn(persistenceId, message))
              .thenApply(fromPlugin -> fromPlugin.isPresent() ? fromPlugin : found);
        });
  }

  private SnapshotSearch.Candidates partedCandidates(String persistenceId) {
    return (maxSequenceNr, minSequenceNr) ->
        parts
            .newest(persistenceId, maxSequenceNr, minSequenceNr)
            .thenApply(found -> found.map(row -> new PartedCandidate(persistenceId, row)));
  }

  private SnapshotSearch.Candidates legacyCandidates(String persistenceId) {
    return (maxSequenceNr, minSequenceNr) ->
        legacy
            .newest(persistenceId, maxSequenceNr, minSequenceNr)
            .thenApply(found -> found.map(row -> new LegacyCandidate(persistenceId, row)));
  }

  /** A snapshot in the parts table, complete if its newest row was its header. */
  private final class PartedCandidate implements SnapshotSearch.Candidate {

    private final String persistenceId;
    private final PartsTable.Newest row;

    PartedCandidate(String persistenceId, PartsTable.Newest row) {
      this.persistenceId = persistenceId;
      this.row = row;
    }

    @Override
    public long sequenceNr() {
      return row.sequenceNr();
    }

    @Override
    public long timestamp() {
      return row.timestamp();
    }

    @Override
    public boolean complete() {
      return row.header() != null;
    }

    @Override
    public CompletionStage<SelectedSnapshot> load() {
      SnapshotHeader header = row.header();
      return parts
          .read(persistenceId, header)
          .thenApplyAsync(
              bytes ->
                  selected(
                      persistenceId,
                      header.sequenceNr(),
                      header.timestamp(),
                      new Serialized(header.serializerId(), header.manifest(), bytes),
                      header.meta()),
              executor);
    }
  }

  /** A snapshot in the plugin's table: one row, always complete. */
  private final class LegacyCandidate implements SnapshotSearch.Candidate {

    private final String persistenceId;
    private final LegacySnapshotTable.LegacySnapshot row;

    LegacyCandidate(String persistenceId, LegacySnapshotTable.LegacySnapshot row) {
      this.persistenceId = persistenceId;
      this.row = row;
    }

    @Override
    public long sequenceNr() {
      return row.sequenceNr();
    }

    @Override
    public long timestamp() {
      return row.timestamp();
    }

    @Override
    public boolean complete() {
      return true;
    }

    @Override
    public CompletionStage<SelectedSnapshot> load() {
      if (row.payload() == null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "Snapshot "
                    + row.sequenceNr()
                    + " of "
                    + persistenceId
                    + " in "
                    + settings.legacyKeyspace()
                    + "."
                    + settings.legacyTable()
                    + " has no snapshot_data (a row of the plugin's pre-1.0 format)"));
      }
      return CompletableFuture.supplyAsync(
          () ->
              selected(persistenceId, row.sequenceNr(), row.timestamp(), row.payload(), row.meta()),
          executor);
    }
  }

  private SelectedSnapshot selected(
      String persistenceId, long sequenceNr, long timestamp, Serialized payload, Serialized meta) {
    SnapshotMetadata metadata = new SnapshotMetadata(persistenceId, sequenceNr, timestamp);
    if (meta != null) {
      metadata = metadata.withMetadata(deserialize(meta));
    }
    return SelectedSnapshot.create(metadata, deserialize(payload));
  }

  private Object deserialize(Serialized serialized) {
    return serialization
        .deserialize(serialized.bytes(), serialized.serializerId(), serialized.manifest())
        .get();
  }

  private CompletionStage<Void> save(SnapshotMetadata metadata, Object snapshot) {
    return CompletableFuture.supplyAsync(
            () -> {
              Serialized payload = serialize(snapshot);
              Serialized meta =
                  metadata.metadata().isDefined() ? serialize(metadata.metadata().get()) : null;
              byte[] bytes = payload.bytes();
              SnapshotHeader header =
                  new SnapshotHeader(
                      metadata.sequenceNr(),
                      metadata.timestamp(),
                      bytes.length,
                      settings.partSize(),
                      SnapshotParts.checksum(bytes),
                      payload.serializerId(),
                      payload.manifest(),
                      meta);
              return new Encoded(header, bytes);
            },
            executor)
        .thenCompose(
            encoded -> parts.write(metadata.persistenceId(), encoded.header(), encoded.bytes()));
  }

  /** A serialized snapshot and its header. */
  private record Encoded(SnapshotHeader header, byte[] bytes) {}

  private Serialized serialize(Object value) {
    Serializer serializer = serialization.findSerializerFor(value);
    // Serialization.serialize adds the transport information that serializers of actor references
    // need, as the plugin's store does.
    byte[] bytes = serialization.serialize(value).get();
    return new Serialized(
        serializer.identifier(), Serializers.manifestFor(serializer, value), bytes);
  }

  private CompletionStage<Void> delete(String persistenceId, SnapshotSelectionCriteria criteria) {
    if (criteria.minSequenceNr() > criteria.maxSequenceNr()) {
      return CompletableFuture.completedFuture(null);
    }
    if (SnapshotSearch.unboundedInTime(criteria)) {
      CompletionStage<Void> deleted =
          parts.deleteRange(persistenceId, criteria.minSequenceNr(), criteria.maxSequenceNr());
      if (legacy != null) {
        deleted =
            deleted.thenCompose(
                done ->
                    legacy.deleteRange(
                        persistenceId, criteria.minSequenceNr(), criteria.maxSequenceNr()));
      }
      return deleted;
    }
    // Timestamps are not in the key: find the snapshots that match, and delete them one by one.
    CompletionStage<Void> deleted =
        SnapshotSearch.matching(partedCandidates(persistenceId), criteria)
            .thenCompose(sequenceNrs -> all(sequenceNrs, nr -> parts.delete(persistenceId, nr)));
    if (legacy != null) {
      deleted =
          deleted
              .thenCompose(
                  done -> SnapshotSearch.matching(legacyCandidates(persistenceId), criteria))
              .thenCompose(sequenceNrs -> all(sequenceNrs, nr -> legacy.delete(persistenceId, nr)));
    }
    return deleted;
  }

  private static CompletionStage<Void> all(
      List<Long> sequenceNrs, LongFunction<CompletionStage<Void>> delete) {
    CompletableFuture<?>[] deletes =
        sequenceNrs.stream()
            .map(nr -> delete.apply(nr).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(deletes);
  }

  private void warn(String persistenceId, String message) {
    log.warning("Loading a snapshot of {}: {}", persistenceId, message);
  }
}
