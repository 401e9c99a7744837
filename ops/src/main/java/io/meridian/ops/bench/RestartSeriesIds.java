package io.meridian.ops.bench;

import io.meridian.node.series.SeriesGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The group and group-local id a node gave each series of a generator, learned from the node's own
 * record of it: the {@link SeriesGroup.NewSeries} entries of its groups' {@link
 * SeriesGroup.SamplesWritten} events, read with the journal plugin's persistence query and
 * deserialized by the node's serializers. The node has no API that names series ids; this reads
 * exactly what the groups recover from, so the ids cannot differ from theirs.
 *
 * <p>The events must still be in the journal: read them before a group has written {@code
 * snapshot-every} (1000) events twice over, after which snapshots replace the oldest.
 */
final class RestartSeriesIds {

  private RestartSeriesIds() {}

  /** Each series' group and id, by generator index. */
  record Ids(int[] groupOf, long[] idOf) {}

  /**
   * Reads the events of every group of {@code tenant} and returns the ids of the generator's
   * series.
   *
   * @throws IllegalStateException if a series is in no group's events (not yet written, or its
   *     events already deleted after snapshots)
   */
  static Ids learn(
      ActorSystem<?> system,
      NodeExporterSeries generated,
      String tenant,
      int groups,
      Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<Map<String, String>, Integer> indexOf = new HashMap<>(generated.size() * 2);
    for (int i = 0; i < generated.size(); i++) {
      indexOf.put(generated.labels(i), i);
    }
    int[] groupOf = new int[generated.size()];
    long[] idOf = new long[generated.size()];
    Arrays.fill(idOf, -1);
    CassandraReadJournal journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    // All groups at once: each is one partition read on the journal's session.
    List<CompletableFuture<List<EventEnvelope>>> reads = new ArrayList<>();
    for (int group = 0; group < groups; group++) {
      String persistenceId =
          PersistenceId.of(SeriesGroup.ENTITY_KEY.name(), tenant + "-" + group).id();
      reads.add(
          journal
              .currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
              .runWith(Sink.seq(), system)
              .toCompletableFuture());
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    for (int group = 0; group < groups; group++) {
      for (EventEnvelope envelope : reads.get(group).join()) {
        if (envelope.event() instanceof SeriesGroup.SamplesWritten written) {
          for (SeriesGroup.NewSeries created : written.created()) {
            SortedMap<String, String> labels = new TreeMap<>(created.key().tags());
            labels.put("__name__", created.key().metric());
            Integer index = indexOf.get(labels);
            if (index != null) {
              groupOf[index] = group;
              idOf[index] = created.id();
            }
          }
        }
      }
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < idOf.length && missing.size() < 5; i++) {
      if (idOf[i] < 0) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "no group's journal names series "
              + missing.stream().map(i -> generated.labels(i).toString()).toList()
              + " (among others?) of tenant '"
              + tenant
              + "' in "
              + groups
              + " groups");
    }
    return new Ids(groupOf, idOf);
  }
}
