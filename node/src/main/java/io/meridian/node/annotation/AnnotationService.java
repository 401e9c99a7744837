package io.meridian.node.annotation;

import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.opentsdb.Tsuids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The node's entry to OpenTSDB annotations: reads, writes and range queries on the tenant's {@link
 * AnnotationStore}. Requests are validated here (OpenTSDB's messages) before they reach the store;
 * a store that does not answer in time fails the call with {@link StoreUnavailableException}.
 */
public final class AnnotationService {

  /** A request OpenTSDB rejects with 400: a missing start time or a malformed TSUID. */
  public static final class InvalidAnnotationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidAnnotationException(String message) {
      super(message);
    }
  }

  /** A write the store's limits ({@code meridian.annotations.*}) did not allow; nothing changed. */
  public static final class LimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LimitExceededException(String message) {
      super(message);
    }
  }

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public AnnotationService(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  /**
   * Validates an annotation's identity as OpenTSDB does and returns the TSUID in the stored form
   * (upper case; empty for global).
   *
   * @throws InvalidAnnotationException if the start time is not set or the TSUID is malformed
   */
  public static String validate(String tsuid, long startTime) {
    if (startTime < 1) {
      throw new InvalidAnnotationException("The start timestamp has not been set");
    }
    if (tsuid == null || tsuid.isEmpty()) {
      return "";
    }
    try {
      return Tsuids.normalize(tsuid);
    } catch (IllegalArgumentException e) {
      throw new InvalidAnnotationException(e.getMessage());
    }
  }

  /** One annotation; empty if there is none. */
  public CompletionStage<Optional<Annotation>> get(String tenant, String tsuid, long startTime) {
    Annotation.Key key = new Annotation.Key(validate(tsuid, startTime), startTime);
    return this.<AnnotationStore.Found>ask(tenant, replyTo -> new AnnotationStore.Get(key, replyTo))
        .thenApply(found -> Optional.ofNullable(found.annotation()));
  }

  /**
   * Creates or changes annotations in one persisted event, merging the given fields into existing
   * annotations ({@code replace} false, OpenTSDB's POST) or replacing them (PUT). Changes without
   * any given field are skipped, as OpenTSDB skips them; the answer holds the stored annotations of
   * the others, in request order (empty when every change was skipped).
   *
   * @throws InvalidAnnotationException (thrown at once) if a change is invalid; nothing is stored
   */
  public CompletionStage<List<Annotation>> upsert(
      String tenant, List<AnnotationChange> changes, boolean replace) {
    List<AnnotationChange> effective = new ArrayList<>(changes.size());
    for (AnnotationChange change : changes) {
      String tsuid = validate(change.tsuid(), change.startTime());
      if (change.hasChanges()) {
        effective.add(
            new AnnotationChange(
                tsuid,
                change.startTime(),
                change.endTime(),
                change.description(),
                change.notes(),
                change.custom()));
      }
    }
    if (effective.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return this.<AnnotationStore.Upserted>ask(
            tenant, replyTo -> new AnnotationStore.Upsert(effective, replace, replyTo))
        .thenApply(
            upserted -> {
              if (upserted.rejection() != null) {
                throw new LimitExceededException(upserted.rejection());
              }
              return upserted.stored();
            });
  }

  /** Deletes one annotation; answers whether it existed. */
  public CompletionStage<Boolean> delete(String tenant, String tsuid, long startTime) {
    Annotation.Key key = new Annotation.Key(validate(tsuid, startTime), startTime);
    return this.<AnnotationStore.Removed>ask(
            tenant, replyTo -> new AnnotationStore.Delete(key, replyTo))
        .thenApply(removed -> removed.count() > 0);
  }

  /**
   * Deletes the annotations of the TSUIDs, and the global ones if {@code global}, that start in
   * {@code [startMs, endMs]}; answers how many were deleted.
   *
   * @throws InvalidAnnotationException (thrown at once) if a TSUID is malformed
   */
  public CompletionStage<Integer> deleteRange(
      String tenant, Collection<String> tsuids, boolean global, long startMs, long endMs) {
    List<String> normalized = new ArrayList<>(tsuids.size());
    for (String tsuid : tsuids) {
      try {
        normalized.add(Tsuids.normalize(tsuid));
      } catch (IllegalArgumentException e) {
        throw new InvalidAnnotationException(e.getMessage());
      }
    }
    return this.<AnnotationStore.Removed>ask(
            tenant,
            replyTo -> new AnnotationStore.DeleteRange(normalized, global, startMs, endMs, replyTo))
        .thenApply(AnnotationStore.Removed::count);
  }

  /**
   * The annotations that meet {@code [startMs, endMs]}: of series whose TSUID starts with one of
   * the prefixes (e.g. metric UIDs), and the global ones if {@code global}; also how many series
   * annotations are in the range at all.
   */
  public CompletionStage<AnnotationStore.InRange> inRange(
      String tenant, long startMs, long endMs, Collection<String> tsuidPrefixes, boolean global) {
    List<String> prefixes = List.copyOf(tsuidPrefixes);
    return ask(
        tenant, replyTo -> new AnnotationStore.Query(startMs, endMs, prefixes, global, replyTo));
  }

  private <R> CompletionStage<R> ask(
      String tenant, Function<ActorRef<R>, AnnotationStore.Command> command) {
    return StoreUnavailableException.unlessAnswered(
        sharding.entityRefFor(AnnotationStore.ENTITY_KEY, tenant).ask(command::apply, askTimeout),
        "The annotation store did not answer");
  }
}
