package io.meridian.node.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * Finds snapshots of one persistence id in a table ordered by sequence number, newest first, asking
 * the table for one candidate at a time. Both the parted table and the legacy table of
 * pekko-persistence-cassandra are searched this way, so they skip and retry alike:
 *
 * <ul>
 *   <li>a candidate outside the criteria' timestamps, or {@linkplain Candidate#complete()
 *       incomplete} (its save stopped before the header), is passed over for the next older one;
 *   <li>a candidate whose load fails with {@link IncompleteSnapshotException} is passed over too;
 *   <li>a candidate whose load fails otherwise (a read error, a snapshot that cannot be
 *       deserialized) counts as one of {@code maxLoadAttempts}; the next older one is tried, as the
 *       plugin does, and if none is left, or the attempts are used up, the search fails with that
 *       error rather than finding nothing: the events before the snapshot may be deleted, so
 *       recovering without it would give a wrong state.
 * </ul>
 */
final class SnapshotSearch {

  /** The snapshots of one persistence id in a table. */
  interface Candidates {

    /** The snapshot with the highest sequence number in the range (inclusive), if any. */
    CompletionStage<Optional<Candidate>> newest(long maxSequenceNr, long minSequenceNr);
  }

  /** One stored snapshot, of which the table told the sequence number and time. */
  interface Candidate {

    long sequenceNr();

    long timestamp();

    /** Whether the snapshot's save completed (its header was written). */
    boolean complete();

    /** Reads and deserializes the whole snapshot. */
    CompletionStage<SelectedSnapshot> load();
  }

  private SnapshotSearch() {}

  /** The newest snapshot matching {@code criteria} that loads, as described above. */
  static CompletionStage<Optional<SelectedSnapshot>> newest(
      Candidates candidates,
      SnapshotSelectionCriteria criteria,
      int maxLoadAttempts,
      Consumer<String> warn) {
    if (maxLoadAttempts < 1) {
      throw new IllegalArgumentException("max load attempts must be positive: " + maxLoadAttempts);
    }
    return newest(candidates, criteria, criteria.maxSequenceNr(), maxLoadAttempts, null, warn);
  }

  private static CompletionStage<Optional<SelectedSnapshot>> newest(
      Candidates candidates,
      SnapshotSelectionCriteria criteria,
      long maxSequenceNr,
      int attemptsLeft,
      Throwable lastFailure,
      Consumer<String> warn) {
    if (maxSequenceNr < criteria.minSequenceNr()) {
      return exhausted(lastFailure);
    }
    return candidates
        .newest(maxSequenceNr, criteria.minSequenceNr())
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return exhausted(lastFailure);
              }
              Candidate candidate = found.get();
              long older = candidate.sequenceNr() - 1;
              if (!candidate.complete() || !withinTimestamps(candidate.timestamp(), criteria)) {
                return newest(candidates, criteria, older, attemptsLeft, lastFailure, warn);
              }
              return candidate
                  .load()
                  .handle(
                      (snapshot, error) -> {
                        if (error == null) {
                          return CompletableFuture.completedFuture(Optional.of(snapshot));
                        }
                        Throwable cause = unwrap(error);
                        if (cause instanceof IncompleteSnapshotException) {
                          warn.accept(cause.getMessage() + "; trying an older snapshot");
                          return newest(
                              candidates, criteria, older, attemptsLeft, lastFailure, warn);
                        }
                        if (attemptsLeft <= 1) {
                          return CompletableFuture.<Optional<SelectedSnapshot>>failedFuture(cause);
                        }
                        warn.accept(
                            "Failed to load snapshot "
                                + candidate.sequenceNr()
                                + ", trying an older one: "
                                + cause);
                        return newest(candidates, criteria, older, attemptsLeft - 1, cause, warn);
                      })
                  .thenCompose(next -> next);
            });
  }

  /**
   * Sequence numbers of all snapshots in {@code criteria}'s sequence number range whose timestamp
   * it matches, complete or not, newest first: the ones that a delete by {@code criteria} removes.
   */
  static CompletionStage<List<Long>> matching(
      Candidates candidates, SnapshotSelectionCriteria criteria) {
    return matching(candidates, criteria, criteria.maxSequenceNr(), new ArrayList<>());
  }

  private static CompletionStage<List<Long>> matching(
      Candidates candidates,
      SnapshotSelectionCriteria criteria,
      long maxSequenceNr,
      List<Long> found) {
    if (maxSequenceNr < criteria.minSequenceNr()) {
      return CompletableFuture.completedFuture(found);
    }
    return candidates
        .newest(maxSequenceNr, criteria.minSequenceNr())
        .thenCompose(
            next -> {
              if (next.isEmpty()) {
                return CompletableFuture.completedFuture(found);
              }
              Candidate candidate = next.get();
              if (withinTimestamps(candidate.timestamp(), criteria)) {
                found.add(candidate.sequenceNr());
              }
              return matching(candidates, criteria, candidate.sequenceNr() - 1, found);
            });
  }

  /** Whether {@code criteria} has no timestamp bounds, so a delete can go by sequence numbers. */
  static boolean unboundedInTime(SnapshotSelectionCriteria criteria) {
    return criteria.minTimestamp() <= 0 && criteria.maxTimestamp() == Long.MAX_VALUE;
  }

  private static boolean withinTimestamps(long timestamp, SnapshotSelectionCriteria criteria) {
    return timestamp <= criteria.maxTimestamp() && timestamp >= criteria.minTimestamp();
  }

  private static CompletionStage<Optional<SelectedSnapshot>> exhausted(Throwable lastFailure) {
    return lastFailure == null
        ? CompletableFuture.completedFuture(Optional.empty())
        : CompletableFuture.failedFuture(lastFailure);
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
