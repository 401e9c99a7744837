package io.meridian.node.series;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
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
 *
 * <p>It also checks that the journal's groups fit {@code meridian.series.groups}: a series lives in
 * group {@code hash mod groups}, so a journal with a group numbered at or above the setting was
 * written with more groups, and under this setting most of its series would be neither read nor
 * written again. Such a node reports the mismatch ({@link #problem}), and is never ready, instead
 * of serving with data silently hidden.
 */
public final class GroupWarmup {

  private static final String CASSANDRA_JOURNAL = "pekko.persistence.cassandra.journal";

  /**
   * Groups woken at once: the groups of several tenants (16 each by default), so that a warm-up
   * whose groups do not answer (their node gone, not yet rebalanced) waits about one ask timeout
   * per few tenants, not one per group.
   */
  private static final int PARALLELISM = 64;

  private GroupWarmup() {}

  /** Whether the warm-up of {@code system}'s groups finished (or gave up). */
  public static boolean isDone(org.apache.pekko.actor.ActorSystem system) {
    return State.ID.get(system).done.isDone();
  }

  /**
   * Why {@code system}'s series data does not fit its settings, once the warm-up found out: the
   * journal holds groups numbered beyond {@code meridian.series.groups}.
   */
  public static Optional<String> problem(org.apache.pekko.actor.ActorSystem system) {
    return Optional.ofNullable(State.ID.get(system).problem);
  }

  /** The warm-up of {@code system}'s groups: completes with the number of groups that answered. */
  public static CompletableFuture<Integer> completion(org.apache.pekko.actor.ActorSystem system) {
    return State.ID.get(system).done;
  }

  /**
   * Starts waking the groups once this node is Up; gives up after {@code timeout}.
   *
   * @param groups the groups a tenant has ({@code meridian.series.groups})
   * @param askTimeout how long each group may take to answer
   */
  public static void start(
      ActorSystem<?> system, int groups, Duration askTimeout, Duration timeout) {
    State state = State.ID.get(system.classicSystem());
    CompletableFuture<Integer> done = state.done;
    if (!CASSANDRA_JOURNAL.equals(
        system.settings().config().getString("pekko.persistence.journal.plugin"))) {
      done.complete(0);
      return;
    }
    org.apache.pekko.cluster.Cluster.get(system.classicSystem())
        .registerOnMemberUp(() -> wake(system, groups, askTimeout, timeout, state));
  }

  private static void wake(
      ActorSystem<?> system, int groups, Duration askTimeout, Duration timeout, State state) {
    CompletableFuture<Integer> done = state.done;
    long started = System.nanoTime();
    String prefix = SeriesGroup.ENTITY_KEY.name() + PersistenceId.DefaultSeparator();
    ClusterSharding sharding = ClusterSharding.get(system);
    ConcurrentSkipListSet<String> beyond = new ConcurrentSkipListSet<>();
    PersistenceQuery.get(system.classicSystem())
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier())
        .currentPersistenceIds()
        .filter(id -> id.startsWith(prefix))
        .filter(
            id -> {
              String entityId = id.substring(prefix.length());
              OptionalInt number = SeriesStore.groupNumber(entityId);
              if (number.isPresent() && number.getAsInt() >= groups) {
                beyond.add(entityId);
                return false;
              }
              return true;
            })
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
              if (!beyond.isEmpty()) {
                state.problem = mismatch(List.copyOf(beyond), groups);
                system.log().error(state.problem);
              }
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

  /** What to tell an operator whose journal has groups {@code beyond} the setting. */
  static String mismatch(List<String> beyond, int groups) {
    int highest =
        beyond.stream().mapToInt(id -> SeriesStore.groupNumber(id).orElse(0)).max().orElse(0);
    return "The journal holds series groups numbered up to "
        + highest
        + " (e.g. "
        + String.join(", ", beyond.subList(0, Math.min(3, beyond.size())))
        + "), but meridian.series.groups = "
        + groups
        + ": the data was written with more groups, and with this setting most of its series would"
        + " be neither read nor written. Set meridian.series.groups (MERIDIAN_SERIES_GROUPS) to"
        + " the number the data was written with (at least "
        + (highest + 1)
        + "; 64 was the default before 16). The node stays not ready until then.";
  }

  /** The warm-up's completion, one per actor system. */
  static final class State implements Extension {
    static final Id ID = new Id();

    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private volatile String problem;

    static final class Id extends AbstractExtensionId<State> {
      @Override
      public State createExtension(ExtendedActorSystem system) {
        return new State();
      }
    }
  }
}
