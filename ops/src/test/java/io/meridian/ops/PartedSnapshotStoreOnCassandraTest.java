package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.meridian.node.snapshot.SnapshotTableSchema;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import io.meridian.protocol.CborSerializable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.DeleteSnapshotSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotFailure;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol.DeleteSnapshot;
import org.apache.pekko.persistence.SnapshotProtocol.DeleteSnapshots;
import org.apache.pekko.persistence.SnapshotProtocol.LoadSnapshot;
import org.apache.pekko.persistence.SnapshotProtocol.LoadSnapshotFailed;
import org.apache.pekko.persistence.SnapshotProtocol.LoadSnapshotResult;
import org.apache.pekko.persistence.SnapshotProtocol.SaveSnapshot;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The parted snapshot store ({@code meridian.snapshot-store}) through Pekko's snapshot store
 * protocol on a real Cassandra: a snapshot far larger than Cassandra's largest mutation saves and
 * loads (the plugin's store refuses it), loads honour the criteria and pass over saves that did not
 * complete, deletes remove every part, and snapshots of the plugin's table are found when no newer
 * one is in the parts table.
 *
 * <p>One actor system on one keyspace for the class; each test uses its own persistence ids. Where
 * size is not the point, a second instance of the store ({@value #SMALL}) cuts snapshots into
 * 100-byte parts, so a few kilobytes make many parts.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartedSnapshotStoreOnCassandraTest {

  private static final String STORE = "meridian.snapshot-store";
  private static final String SMALL = "small-parts-snapshot-store";
  private static final String LEGACY = "pekko.persistence.cassandra.snapshot";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int MIB = 1024 * 1024;

  private final String keyspace =
      "it_snap_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private ActorSystem system;
  private CqlSession cql;

  /** A snapshot: a name and bytes, serialized by Jackson CBOR as all of Meridian's. */
  record Blob(String name, byte[] bytes) implements CborSerializable {}

  @BeforeAll
  void start(CassandraServer cassandra) {
    system = ActorSystem.create("snapshots", config(cassandra, keyspace, SMALL + " { }"));
    cql = Cql.connect(cassandra);
  }

  @AfterAll
  void stop() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    if (cql != null) {
      Cql.dropKeyspaces(cql, keyspace);
      cql.close();
    }
  }

  /**
   * The application's configuration (with {@code persistence.conf}) on {@code cassandra} and {@code
   * keyspace}, in a local actor system, plus {@code extraConfig}; a section {@value #SMALL} in it
   * becomes a copy of the parted store with 100-byte parts.
   */
  static Config config(CassandraServer cassandra, String keyspace, String extraConfig) {
    InetSocketAddress contact = cassandra.contactPoint();
    Config overrides =
        ConfigFactory.parseString(
                extraConfig
                    + "\n"
                    + SMALL
                    + " = ${meridian.snapshot-store} { part-size = 100 }\n"
                    + "pekko.actor.provider = local\n"
                    + "meridian.cassandra.keyspace = "
                    + keyspace
                    + "\n"
                    // Otherwise terminating the system waits out netty's 2 s quiet periods.
                    + "datastax-java-driver.advanced.netty.io-group.shutdown.quiet-period = 0\n"
                    + "datastax-java-driver.advanced.netty.admin-group.shutdown.quiet-period = 0\n")
            .withValue(
                "meridian.cassandra.contact-points",
                ConfigValueFactory.fromIterable(
                    List.of(contact.getHostString() + ":" + contact.getPort())));
    return ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
  }

  @Test
  void savesAndLoadsASnapshotLargerThanCassandrasLargestMutation() {
    String pid = "big";
    Blob blob = new Blob("forty MiB", random(40 * MIB, 1));

    long savedAt = saved(STORE, pid, 100, blob);

    // 40 MiB and some bytes of CBOR: 41 data parts of at most 1 MiB, and the header.
    List<Row> rows =
        cql.execute(
                "SELECT part, size, part_size FROM "
                    + table()
                    + " WHERE persistence_id = ? AND sequence_nr = 100",
                pid)
            .all();
    assertThat(rows).hasSize(42);
    assertThat(rows.get(0).getInt("part")).isZero();
    assertThat(rows.get(0).getInt("part_size")).isEqualTo(MIB);
    assertThat(rows.get(0).getInt("size")).isGreaterThan(40 * MIB);

    SelectedSnapshot loaded = load(STORE, pid, SnapshotSelectionCriteria.latest()).orElseThrow();
    assertThat(loaded.metadata().sequenceNr()).isEqualTo(100);
    assertThat(loaded.metadata().timestamp()).isEqualTo(savedAt);
    Blob back = (Blob) loaded.snapshot();
    assertThat(back.name()).isEqualTo(blob.name());
    assertThat(back.bytes()).isEqualTo(blob.bytes());

    // The plugin's store writes it as one row, which Cassandra refuses.
    assertThat(save(LEGACY, pid, 100, blob)).isInstanceOf(SaveSnapshotFailure.class);
  }

  @Test
  void loadsTheNewestSnapshotTheCriteriaAllow() {
    String pid = "criteria";
    Map<Long, Long> savedAt = new TreeMap<>();
    for (long seq = 10; seq <= 40; seq += 10) {
      savedAt.put(seq, saved(SMALL, pid, seq, blob("at " + seq, 2_000)));
    }

    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.latest())).contains(40L);
    assertThat(loadedSeq(SMALL, pid, criteria(35, Long.MAX_VALUE, 0, 0))).contains(30L);
    assertThat(loadedSeq(SMALL, pid, criteria(Long.MAX_VALUE, savedAt.get(20L), 0, 0)))
        .contains(20L);
    assertThat(
            loadedSeq(SMALL, pid, criteria(Long.MAX_VALUE, savedAt.get(30L), 0, savedAt.get(30L))))
        .contains(30L);
    assertThat(
            loadedSeq(
                SMALL, pid, criteria(Long.MAX_VALUE, savedAt.get(10L), 0, savedAt.get(10L) + 1)))
        .isEmpty();
    assertThat(loadedSeq(SMALL, pid, criteria(Long.MAX_VALUE, savedAt.get(10L) - 1, 0, 0)))
        .isEmpty();
    assertThat(loadedSeq(SMALL, pid, criteria(Long.MAX_VALUE, Long.MAX_VALUE, 41, 0))).isEmpty();
    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.none())).isEmpty();
    assertThat(loadedSeq(SMALL, "no such entity", SnapshotSelectionCriteria.latest())).isEmpty();
    // Pekko limits a load to the sequence number to recover to, too.
    assertThat(ask(SMALL, new LoadSnapshot(pid, SnapshotSelectionCriteria.latest(), 25)))
        .isInstanceOfSatisfying(
            LoadSnapshotResult.class,
            result -> assertThat(result.snapshot().get().metadata().sequenceNr()).isEqualTo(20));
    Blob loaded = (Blob) load(SMALL, pid, criteria(35, Long.MAX_VALUE, 0, 0)).get().snapshot();
    assertThat(loaded.name()).isEqualTo("at 30");
  }

  @Test
  void keepsTheSnapshotsMetadata() {
    String pid = "meta";
    SnapshotMetadata metadata = new SnapshotMetadata(pid, 7, 700).withMetadata("replica-a");
    assertThat(ask(SMALL, new SaveSnapshot(metadata, blob("with meta", 500))))
        .isInstanceOf(SaveSnapshotSuccess.class);

    SnapshotMetadata loaded =
        load(SMALL, pid, SnapshotSelectionCriteria.latest()).orElseThrow().metadata();
    assertThat(loaded.sequenceNr()).isEqualTo(7);
    assertThat(loaded.metadata().get()).isEqualTo("replica-a");
  }

  @Test
  void passesOverSavesThatDidNotComplete() {
    String pid = "incomplete";
    for (long seq = 10; seq <= 30; seq += 10) {
      saved(SMALL, pid, seq, blob("at " + seq, 1_000));
    }
    // A save that stopped before its header (a crash): the data parts are there, the header not.
    cql.execute(
        "DELETE FROM " + table() + " WHERE persistence_id = ? AND sequence_nr = 30 AND part = 0",
        pid);
    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.latest())).contains(20L);

    // A header whose parts do not add up (one lost): passed over as well.
    cql.execute(
        "DELETE FROM " + table() + " WHERE persistence_id = ? AND sequence_nr = 20 AND part = 3",
        pid);
    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.latest())).contains(10L);

    // A part overwritten by another save of the same sequence number: the checksum tells.
    cql.execute(
        "UPDATE "
            + table()
            + " SET data = 0x"
            + "00".repeat(100)
            + " WHERE persistence_id = ? AND sequence_nr = 10 AND part = 2",
        pid);
    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.latest())).isEmpty();

    // A new save of the sequence number completes it again.
    saved(SMALL, pid, 30, blob("at 30", 1_000));
    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.latest())).contains(30L);
  }

  @Test
  void failsTheLoadWhenTheSnapshotCannotBeDeserialized() {
    String pid = "unreadable";
    saved(SMALL, pid, 10, blob("at 10", 1_000));
    // A header naming a class that does not exist: Jackson cannot deserialize the parts.
    cql.execute(
        "UPDATE "
            + table()
            + " SET ser_manifest = 'io.meridian.NoSuchSnapshot'"
            + " WHERE persistence_id = ? AND sequence_nr = 10 AND part = 0",
        pid);

    // Events before it may be deleted: recovery must fail rather than start from nothing.
    assertThat(ask(SMALL, new LoadSnapshot(pid, SnapshotSelectionCriteria.latest(), 100)))
        .isInstanceOfSatisfying(
            LoadSnapshotFailed.class,
            failed -> assertThat(failed.cause()).hasMessageContaining("NoSuchSnapshot"));

    // A newer snapshot that loads is taken; an older one is tried when a newer one fails.
    saved(SMALL, pid, 20, blob("at 20", 1_000));
    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.latest())).contains(20L);
    saved(SMALL, pid, 30, blob("at 30", 1_000));
    cql.execute(
        "UPDATE "
            + table()
            + " SET ser_manifest = 'io.meridian.NoSuchSnapshot'"
            + " WHERE persistence_id = ? AND sequence_nr = 30 AND part = 0",
        pid);
    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.latest())).contains(20L);
  }

  @Test
  void deletesEveryPartOfTheSnapshotsItIsAskedTo() {
    String pid = "delete";
    Map<Long, Long> savedAt = new TreeMap<>();
    for (long seq = 10; seq <= 60; seq += 10) {
      savedAt.put(seq, saved(SMALL, pid, seq, blob("at " + seq, 1_000)));
    }
    // A save of 5 that did not complete: a delete by sequence numbers takes its parts too.
    saved(SMALL, pid, 5, blob("at 5", 1_000));
    cql.execute(
        "DELETE FROM " + table() + " WHERE persistence_id = ? AND sequence_nr = 5 AND part = 0",
        pid);
    assertThat(storedSeqs(pid)).containsExactly(60L, 50L, 40L, 30L, 20L, 10L, 5L);

    assertThat(ask(SMALL, new DeleteSnapshot(new SnapshotMetadata(pid, 60, 0))))
        .isInstanceOf(DeleteSnapshotSuccess.class);
    assertThat(storedSeqs(pid)).containsExactly(50L, 40L, 30L, 20L, 10L, 5L);

    // By timestamp: only 30 and 40 were saved in their time span.
    assertThat(
            ask(
                SMALL,
                new DeleteSnapshots(
                    pid, criteria(Long.MAX_VALUE, savedAt.get(40L), 0, savedAt.get(30L)))))
        .isInstanceOf(DeleteSnapshotsSuccess.class);
    assertThat(storedSeqs(pid)).containsExactly(50L, 20L, 10L, 5L);

    // By sequence numbers, as retention deletes: 5 to 20, complete or not.
    assertThat(ask(SMALL, new DeleteSnapshots(pid, criteria(20, Long.MAX_VALUE, 5, 0))))
        .isInstanceOf(DeleteSnapshotsSuccess.class);
    assertThat(storedSeqs(pid)).containsExactly(50L);
    assertThat(loadedSeq(SMALL, pid, SnapshotSelectionCriteria.latest())).contains(50L);
  }

  @Test
  void findsThePluginsSnapshotsWhenNoNewerIsHere() {
    String pid = "legacy";
    saved(LEGACY, pid, 5, blob("plugin 5", 3_000));
    long savedAt = saved(LEGACY, pid, 8, blob("plugin 8", 3_000));

    SelectedSnapshot fromPlugin = load(STORE, pid, SnapshotSelectionCriteria.latest()).get();
    assertThat(fromPlugin.metadata().sequenceNr()).isEqualTo(8);
    assertThat(fromPlugin.metadata().timestamp()).isEqualTo(savedAt);
    assertThat(((Blob) fromPlugin.snapshot()).name()).isEqualTo("plugin 8");
    // Criteria apply to the plugin's snapshots too.
    assertThat(loadedSeq(STORE, pid, criteria(7, Long.MAX_VALUE, 0, 0))).contains(5L);

    // A snapshot here that is older than the plugin's newest (a rolling upgrade): the newer wins.
    saved(STORE, pid, 6, blob("parted 6", 3_000));
    assertThat(loadedSeq(STORE, pid, SnapshotSelectionCriteria.latest())).contains(8L);
    assertThat(loadedSeq(STORE, pid, criteria(7, Long.MAX_VALUE, 0, 0))).contains(6L);

    saved(STORE, pid, 12, blob("parted 12", 3_000));
    assertThat(loadedSeq(STORE, pid, SnapshotSelectionCriteria.latest())).contains(12L);

    // Deletes delete the plugin's snapshots too: none of them can come back as a fallback.
    assertThat(ask(STORE, new DeleteSnapshots(pid, criteria(8, Long.MAX_VALUE, 0, 0))))
        .isInstanceOf(DeleteSnapshotsSuccess.class);
    assertThat(legacySeqs(pid)).isEmpty();
    assertThat(loadedSeq(STORE, pid, SnapshotSelectionCriteria.latest())).contains(12L);
    assertThat(loadedSeq(STORE, pid, criteria(11, Long.MAX_VALUE, 0, 0))).isEmpty();
  }

  /** The store's reply to a save; the store sets the snapshot's timestamp to the time of saving. */
  private Object save(String store, String pid, long seq, Object snapshot) {
    return ask(store, new SaveSnapshot(new SnapshotMetadata(pid, seq, 0), snapshot));
  }

  /**
   * Saves the snapshot and returns the timestamp the store gave it, once the clock has passed it,
   * so that each snapshot of a test has a timestamp of its own.
   */
  private long saved(String store, String pid, long seq, Object snapshot) {
    Object reply = save(store, pid, seq, snapshot);
    assertThat(reply).isInstanceOf(SaveSnapshotSuccess.class);
    long timestamp = ((SaveSnapshotSuccess) reply).metadata().timestamp();
    Await.until(
        "the clock to pass " + timestamp,
        TIMEOUT,
        () -> System.currentTimeMillis() > timestamp,
        () -> "now " + System.currentTimeMillis());
    return timestamp;
  }

  private Optional<SelectedSnapshot> load(
      String store, String pid, SnapshotSelectionCriteria criteria) {
    Object reply = ask(store, new LoadSnapshot(pid, criteria, Long.MAX_VALUE));
    assertThat(reply).isInstanceOf(LoadSnapshotResult.class);
    scala.Option<SelectedSnapshot> snapshot = ((LoadSnapshotResult) reply).snapshot();
    return snapshot.isDefined() ? Optional.of(snapshot.get()) : Optional.empty();
  }

  private Optional<Long> loadedSeq(String store, String pid, SnapshotSelectionCriteria criteria) {
    return load(store, pid, criteria).map(snapshot -> snapshot.metadata().sequenceNr());
  }

  private Object ask(String store, Object message) {
    ActorRef ref = Persistence.get(system).snapshotStoreFor(store, ConfigFactory.empty());
    return Patterns.ask(ref, message, TIMEOUT).toCompletableFuture().join();
  }

  /** Sequence numbers with rows in the parts table, newest first. */
  private List<Long> storedSeqs(String pid) {
    return cql
        .execute("SELECT sequence_nr FROM " + table() + " WHERE persistence_id = ?", pid)
        .all()
        .stream()
        .map(row -> row.getLong("sequence_nr"))
        .distinct()
        .toList();
  }

  private List<Long> legacySeqs(String pid) {
    return cql
        .execute(
            "SELECT sequence_nr FROM " + keyspace + "_snapshot.snapshots WHERE persistence_id = ?",
            pid)
        .all()
        .stream()
        .map(row -> row.getLong("sequence_nr"))
        .toList();
  }

  private String table() {
    return keyspace + "_snapshot." + SnapshotTableSchema.TABLE;
  }

  private static SnapshotSelectionCriteria criteria(
      long maxSequenceNr, long maxTimestamp, long minSequenceNr, long minTimestamp) {
    return new SnapshotSelectionCriteria(maxSequenceNr, maxTimestamp, minSequenceNr, minTimestamp);
  }

  private static Blob blob(String name, int size) {
    return new Blob(name, random(size, name.hashCode()));
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
