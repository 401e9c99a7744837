package io.meridian.node.series;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * Wakes every series group that has a journal once the node is an Up member, so that the groups
 * recover (a snapshot with their series' heads, then the journal's tail) while the node starts
 * rather than on the first request after a restart: with 100,000 series that recovery took longer
 * than the ask timeout, and the first queries after a restart answered 503. Readiness waits for it
 * ({@link #isDone}), bounded by a timeout after which the node reports ready anyway (a group that
 * did not answer recovers on demand as before).
 *
 * <p>The groups are found through the journal's persistence ids ({@code all_persistence_ids}), so
 * only with the Cassandra journal; with another journal (tests' in-memory one) there is nothing to
 * wake. Every node wakes every group: waking is a read-only ask, wherever the group lives.
 */
public final class GroupWarmup {

  private static final String CASSANDRA_JOURNAL = "pekko.persistence.cassandra.journal";

  /**
   * Groups woken at once: as many as a tenant has by default, so that a warm-up whose groups do not
   * answer (their node gone, not yet rebalanced) waits about one ask timeout, not one per batch.
   */
  private static final int PARALLELISM = 64;

  private GroupWarmup() {}

  /** Whether the warm-up of {@code system}'s groups finished (or gave up). */
  public static boolean isDone(org.apache.pekko.actor.ActorSystem system) {
    return State.ID.get(system).done.isDone();
  }

  /** The warm-up of {@code system}'s groups: completes with the number of groups that answered. */
  public static CompletableFuture<Integer> completion(org.apache.pekko.actor.ActorSystem system) {
    return State.ID.get(system).done;
  }

  /**
   * Starts waking the groups once this node is Up; gives up after {@code timeout}.
   *
   * @param askTimeout how long each group may take to answer
   */
  public static void start(ActorSystem<?> system, Duration askTimeout, Duration timeout) {
    CompletableFuture<Integer> done = State.ID.get(system.classicSystem()).done;
    if (!CASSANDRA_JOURNAL.equals(
        system.settings().config().getString("pekko.persistence.journal.plugin"))) {
      done.complete(0);
      return;
    }
    org.apache.pekko.cluster.Cluster.get(system.classicSystem())
        .registerOnMemberUp(() -> wake(system, askTimeout, timeout, done));
  }

  private static void wake(
      ActorSystem<?> system,
      Duration askTimeout,
      Duration timeout,
      CompletableFuture<Integer> done) {
    long started = System.nanoTime();
    String prefix = SeriesGroup.ENTITY_KEY.name() + PersistenceId.DefaultSeparator();
    ClusterSharding sharding = ClusterSharding.get(system);
    PersistenceQuery.get(system.classicSystem())
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier())
        .currentPersistenceIds()
        .filter(id -> id.startsWith(prefix))
        .mapAsyncUnordered(
            PARALLELISM,
            id ->
                sharding
                    .entityRefFor(SeriesGroup.ENTITY_KEY, id.substring(prefix.length()))
                    .ask(SeriesGroup.Stats::new, askTimeout)
                    .handle((stats, failure) -> failure == null ? 1 : 0))
        .runFold(0, Integer::sum, system)
        .toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (woken, failure) -> {
              long ms = (System.nanoTime() - started) / 1_000_000;
              if (failure != null) {
                system
                    .log()
                    .warn(
                        "Series groups not all woken after {} ms ({}); the rest recover on their"
                            + " first request",
                        ms,
                        failure.toString());
                done.complete(0);
              } else {
                system.log().info("Woke {} series groups in {} ms", woken, ms);
                done.complete(woken);
              }
            });
  }

  /** The warm-up's completion, one per actor system. */
  static final class State implements Extension {
    static final Id ID = new Id();

    private final CompletableFuture<Integer> done = new CompletableFuture<>();

    static final class Id extends AbstractExtensionId<State> {
      @Override
      public State createExtension(ExtendedActorSystem system) {
        return new State();
      }
    }
  }
}
