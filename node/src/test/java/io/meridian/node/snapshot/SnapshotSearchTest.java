package io.meridian.node.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.junit.jupiter.api.Test;

class SnapshotSearchTest {

  private final Table table = new Table();
  private final List<String> warnings = new ArrayList<>();

  @Test
  void findsTheNewestSnapshotWithinTheCriteria() {
    table.add(10, 100).add(20, 200).add(30, 300);

    assertThat(newest(SnapshotSelectionCriteria.latest())).contains(30L);
    assertThat(newest(criteria(25, Long.MAX_VALUE, 0, 0))).contains(20L);
    assertThat(newest(criteria(Long.MAX_VALUE, 250, 0, 0))).contains(20L);
    assertThat(newest(criteria(Long.MAX_VALUE, Long.MAX_VALUE, 0, 250))).contains(30L);
    assertThat(newest(criteria(Long.MAX_VALUE, 150, 0, 150))).isEmpty();
    assertThat(newest(criteria(Long.MAX_VALUE, Long.MAX_VALUE, 31, 0))).isEmpty();
    assertThat(newest(criteria(15, Long.MAX_VALUE, 11, 0))).isEmpty();
    assertThat(newest(SnapshotSelectionCriteria.none())).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void passesOverSavesThatDidNotComplete() {
    table.add(10, 100).addIncomplete(20, 200).addIncomplete(30, 300);

    assertThat(newest(SnapshotSelectionCriteria.latest())).contains(10L);
    assertThat(newest(criteria(Long.MAX_VALUE, Long.MAX_VALUE, 11, 0))).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void passesOverSnapshotsWhosePartsDoNotAddUp() {
    table.add(10, 100).add(20, 200);
    table.fail(20, new IncompleteSnapshotException("Snapshot 20 lacks part 3 of 4"));

    assertThat(newest(SnapshotSelectionCriteria.latest())).contains(10L);
    assertThat(warnings).singleElement().asString().contains("lacks part 3");

    table.fail(10, new IncompleteSnapshotException("Snapshot 10 lacks part 1 of 1"));
    assertThat(newest(SnapshotSelectionCriteria.latest())).isEmpty();
  }

  @Test
  void triesOlderSnapshotsWhenOneFailsToLoad() {
    table.add(10, 100).add(20, 200).add(30, 300);
    table.fail(30, new IllegalStateException("cannot deserialize"));

    assertThat(newest(SnapshotSelectionCriteria.latest())).contains(20L);
    assertThat(warnings).singleElement().asString().contains("30").contains("cannot deserialize");
  }

  @Test
  void failsOnceTheAttemptsAreUsedUp() {
    table.add(10, 100).add(20, 200).add(30, 300);
    table.fail(30, new IllegalStateException("timeout 30"));
    table.fail(20, new IllegalStateException("timeout 20"));

    assertThatThrownBy(() -> newest(SnapshotSelectionCriteria.latest(), 2))
        .hasRootCauseMessage("timeout 20");
    assertThat(newest(SnapshotSelectionCriteria.latest(), 3)).contains(10L);
  }

  @Test
  void failsRatherThanFindNothingWhenTheOnlySnapshotFailsToLoad() {
    // The events before it may be deleted: recovering from nothing would lose them.
    table.add(10, 100);
    table.fail(10, new IllegalStateException("read timeout"));

    assertThatThrownBy(() -> newest(SnapshotSelectionCriteria.latest()))
        .hasRootCauseMessage("read timeout");
  }

  @Test
  void aFailingTableFailsTheSearch() {
    Table broken =
        new Table() {
          @Override
          public CompletionStage<Optional<SnapshotSearch.Candidate>> newest(long max, long min) {
            return CompletableFuture.failedFuture(new IllegalStateException("no replicas"));
          }
        };

    assertThatThrownBy(
            () ->
                SnapshotSearch.newest(broken, SnapshotSelectionCriteria.latest(), 3, warnings::add)
                    .toCompletableFuture()
                    .join())
        .hasRootCauseMessage("no replicas");
  }

  @Test
  void matchingListsEverySnapshotOfTheCriteriaCompleteOrNot() {
    table.add(10, 100).addIncomplete(20, 200).add(30, 300).add(40, 400);

    assertThat(matching(criteria(Long.MAX_VALUE, 350, 0, 150))).containsExactly(30L, 20L);
    assertThat(matching(criteria(30, Long.MAX_VALUE, 20, 0))).containsExactly(30L, 20L);
    assertThat(matching(SnapshotSelectionCriteria.latest())).containsExactly(40L, 30L, 20L, 10L);
    assertThat(SnapshotSearch.unboundedInTime(criteria(30, Long.MAX_VALUE, 20, 0))).isTrue();
    assertThat(SnapshotSearch.unboundedInTime(criteria(30, 350, 20, 0))).isFalse();
    assertThat(SnapshotSearch.unboundedInTime(criteria(30, Long.MAX_VALUE, 20, 1))).isFalse();
  }

  private Optional<Long> newest(SnapshotSelectionCriteria criteria) {
    return newest(criteria, 3);
  }

  private Optional<Long> newest(SnapshotSelectionCriteria criteria, int attempts) {
    return SnapshotSearch.newest(table, criteria, attempts, warnings::add)
        .toCompletableFuture()
        .join()
        .map(snapshot -> snapshot.metadata().sequenceNr());
  }

  private List<Long> matching(SnapshotSelectionCriteria criteria) {
    return SnapshotSearch.matching(table, criteria).toCompletableFuture().join();
  }

  private static SnapshotSelectionCriteria criteria(
      long maxSequenceNr, long maxTimestamp, long minSequenceNr, long minTimestamp) {
    return new SnapshotSelectionCriteria(maxSequenceNr, maxTimestamp, minSequenceNr, minTimestamp);
  }

  /** Snapshots by sequence number, as the Cassandra tables return them. */
  private static class Table implements SnapshotSearch.Candidates {

    private final NavigableMap<Long, Stored> stored = new TreeMap<>();

    Table add(long sequenceNr, long timestamp) {
      stored.put(sequenceNr, new Stored(sequenceNr, timestamp, true, null));
      return this;
    }

    Table addIncomplete(long sequenceNr, long timestamp) {
      stored.put(sequenceNr, new Stored(sequenceNr, timestamp, false, null));
      return this;
    }

    void fail(long sequenceNr, RuntimeException failure) {
      Stored old = stored.get(sequenceNr);
      stored.put(sequenceNr, new Stored(sequenceNr, old.timestamp(), old.complete(), failure));
    }

    @Override
    public CompletionStage<Optional<SnapshotSearch.Candidate>> newest(long max, long min) {
      Map.Entry<Long, Stored> entry = stored.floorEntry(max);
      return CompletableFuture.completedFuture(
          Optional.ofNullable(entry)
              .filter(found -> found.getKey() >= min)
              .map(Map.Entry::getValue));
    }
  }

  private record Stored(long sequenceNr, long timestamp, boolean complete, RuntimeException failure)
      implements SnapshotSearch.Candidate {

    @Override
    public CompletionStage<SelectedSnapshot> load() {
      if (!complete) {
        throw new AssertionError("an incomplete snapshot must not be loaded");
      }
      // As the Cassandra tables fail: asynchronously, wrapped.
      return failure != null
          ? CompletableFuture.supplyAsync(
              () -> {
                throw new CompletionException(failure);
              })
          : CompletableFuture.completedFuture(
              SelectedSnapshot.create(
                  new SnapshotMetadata("p", sequenceNr, timestamp), "state " + sequenceNr));
    }
  }
}
