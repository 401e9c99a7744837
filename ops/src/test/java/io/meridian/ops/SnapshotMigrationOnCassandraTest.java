package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.meridian.node.snapshot.SnapshotTableSchema;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import io.meridian.protocol.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An event-sourced entity that snapshots every 5 events and deletes the events before its older
 * kept snapshot, as series groups do, on a real Cassandra across an upgrade: it runs first with
 * pekko-persistence-cassandra's snapshot store, then with the parted store (which finds the
 * plugin's snapshot, since the events before it are gone), then restarts on the parted store's own
 * snapshots, recovering its whole state each time. The parted store cuts its snapshots into 16-byte
 * parts here, so each is several rows.
 */
@ExtendWith(CassandraExtension.class)
class SnapshotMigrationOnCassandraTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String ID = "tally-1";

  private final String keyspace = "it_snapmig_" + UUID.randomUUID().toString().substring(0, 8);
  private CassandraServer cassandra;
  private CqlSession cql;

  /** Commands of {@link Counter}. */
  sealed interface Command {}

  /** Adds an amount; replies with the number of amounts. */
  record Add(long amount, ActorRef<Integer> replyTo) implements Command {}

  /** Replies with the state. */
  record Get(ActorRef<Tally> replyTo) implements Command {}

  /** The event of an {@link Add}. */
  record Added(long amount) implements CborSerializable {}

  /** The state, snapshotted: every amount added so far, in order. */
  record Tally(List<Long> amounts) implements CborSerializable {

    Tally with(long amount) {
      List<Long> more = new ArrayList<>(amounts);
      more.add(amount);
      return new Tally(List.copyOf(more));
    }
  }

  /** The entity: snapshots every 5 events, keeps 2, and deletes the events before them. */
  static final class Counter extends EventSourcedBehavior<Command, Added, Tally> {

    Counter(String id) {
      super(PersistenceId.ofUniqueId(id));
    }

    @Override
    public Tally emptyState() {
      return new Tally(List.of());
    }

    @Override
    public CommandHandler<Command, Added, Tally> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(
              Add.class,
              add ->
                  Effect()
                      .persist(new Added(add.amount()))
                      .thenReply(add.replyTo(), tally -> tally.amounts().size()))
          .onCommand(Get.class, (tally, get) -> Effect().reply(get.replyTo(), tally))
          .build();
    }

    @Override
    public EventHandler<Tally, Added> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onEvent(Added.class, (tally, added) -> tally.with(added.amount()))
          .build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
      return RetentionCriteria.snapshotEvery(5, 2).withDeleteEventsOnSnapshot();
    }
  }

  @BeforeEach
  void connect(CassandraServer cassandra) {
    this.cassandra = cassandra;
    cql = Cql.connect(cassandra);
  }

  @AfterEach
  void dropKeyspaces() {
    Cql.dropKeyspaces(cql, keyspace);
    cql.close();
  }

  @Test
  void anEntityRecoversFromThePluginsSnapshotsAndThenFromParts() {
    // Before the upgrade: the plugin's snapshot store. Snapshots at 5, 10, 15, 20; after the one
    // at 20 the events up to 10 and the snapshots before 10 are deleted.
    ActorTestKit old =
        testKit("pekko.persistence.snapshot-store.plugin = pekko.persistence.cassandra.snapshot");
    try {
      ActorRef<Command> counter = old.spawn(new Counter(ID));
      add(old, counter, 1, 23);
      awaitStored(List.of(20L, 15L, 10L), List.of(), 11);
    } finally {
      old.shutdownTestKit();
    }

    // After it: the parted store, which has no snapshot of the entity yet and takes the plugin's
    // (the events before it are gone, so replaying the journal alone would lose 1 to 10).
    ActorTestKit upgraded = testKit("meridian.snapshot-store.part-size = 16");
    try {
      ActorRef<Command> counter = upgraded.spawn(new Counter(ID));
      assertThat(state(upgraded, counter)).isEqualTo(amounts(1, 23));
      // Snapshots at 25, 30, 35 in parts; each deletes older ones in both tables.
      add(upgraded, counter, 24, 35);
      awaitStored(List.of(), List.of(35L, 30L, 25L), 26);
    } finally {
      upgraded.shutdownTestKit();
    }
    assertThat(
            cql.execute(
                    "SELECT part FROM "
                        + keyspace
                        + "_snapshot."
                        + SnapshotTableSchema.TABLE
                        + " WHERE persistence_id = ? AND sequence_nr = 35",
                    ID)
                .all())
        .as("the header and several data parts")
        .hasSizeGreaterThan(3);

    // A restart recovers from the parted store's own snapshot.
    ActorTestKit restarted = testKit("meridian.snapshot-store.part-size = 16");
    try {
      ActorRef<Command> counter = restarted.spawn(new Counter(ID));
      assertThat(state(restarted, counter)).isEqualTo(amounts(1, 35));
      add(restarted, counter, 36, 36);
      assertThat(state(restarted, counter)).isEqualTo(amounts(1, 36));
    } finally {
      restarted.shutdownTestKit();
    }
  }

  private ActorTestKit testKit(String extraConfig) {
    return ActorTestKit.create(
        "migration", PartedSnapshotStoreOnCassandraTest.config(cassandra, keyspace, extraConfig));
  }

  /** Adds {@code from} to {@code to}, one command (one event) at a time. */
  private static void add(ActorTestKit testKit, ActorRef<Command> counter, long from, long to) {
    TestProbe<Integer> probe = testKit.createTestProbe();
    for (long amount = from; amount <= to; amount++) {
      counter.tell(new Add(amount, probe.ref()));
      assertThat(probe.receiveMessage(TIMEOUT)).isEqualTo((int) amount);
    }
  }

  private static List<Long> state(ActorTestKit testKit, ActorRef<Command> counter) {
    TestProbe<Tally> probe = testKit.createTestProbe();
    counter.tell(new Get(probe.ref()));
    return probe.receiveMessage(TIMEOUT).amounts();
  }

  private static List<Long> amounts(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /**
   * Waits until the plugin's table holds the snapshots {@code legacy}, the parts table those in
   * {@code parted} (newest first) and the journal the events from {@code firstEvent} on: deletions
   * run after the snapshots are saved.
   */
  private void awaitStored(List<Long> legacy, List<Long> parted, long firstEvent) {
    Await.until(
        "snapshots " + legacy + " (plugin), " + parted + " (parts), events from " + firstEvent,
        TIMEOUT,
        () ->
            legacySeqs().equals(legacy)
                && partedSeqs().equals(parted)
                && firstEvent().equals(firstEvent),
        () ->
            "plugin " + legacySeqs() + ", parts " + partedSeqs() + ", first event " + firstEvent());
  }

  private List<Long> legacySeqs() {
    return seqs("SELECT sequence_nr FROM " + keyspace + "_snapshot.snapshots");
  }

  private List<Long> partedSeqs() {
    return seqs("SELECT sequence_nr FROM " + keyspace + "_snapshot." + SnapshotTableSchema.TABLE);
  }

  private Long firstEvent() {
    List<Long> events =
        seqs("SELECT sequence_nr FROM " + keyspace + ".messages", " AND partition_nr = 0");
    return events.isEmpty() ? null : events.get(0);
  }

  private List<Long> seqs(String select) {
    return seqs(select, "");
  }

  /**
   * Distinct sequence numbers of {@link #ID}'s rows, in the table's order; none while the table
   * does not exist (the parts table before the parted store first ran).
   */
  private List<Long> seqs(String select, String moreConditions) {
    try {
      return cql.execute(select + " WHERE persistence_id = ?" + moreConditions, ID).all().stream()
          .map(row -> row.getLong("sequence_nr"))
          .distinct()
          .toList();
    } catch (InvalidQueryException noTable) {
      return List.of();
    }
  }
}
