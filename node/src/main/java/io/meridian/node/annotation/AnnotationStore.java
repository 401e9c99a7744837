package io.meridian.node.annotation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.meridian.node.JournalFailures;
import io.meridian.protocol.CborSerializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The annotations of one tenant (entity id = tenant), keyed by TSUID (empty for global ones) and
 * start time. Each write request persists one event and is answered after the journal write.
 *
 * <p>Bounds: a tenant holds at most {@code meridian.annotations.max-count} annotations of at most
 * {@code max-bytes} in total, so that a snapshot of the whole state fits in one Cassandra mutation
 * and queries can scan it; a write that would exceed either limit is rejected as a whole.
 */
public final class AnnotationStore
    extends EventSourcedBehaviorWithEnforcedReplies<
        AnnotationStore.Command, AnnotationStore.Event, AnnotationStore.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "AnnotationStore");

  /** Messages the store accepts. */
  public sealed interface Command extends CborSerializable
      permits Get, Upsert, Delete, DeleteRange, Query {}

  /** Returns one annotation. */
  public record Get(Annotation.Key key, ActorRef<Found> replyTo) implements Command {}

  /** The answer to {@link Get}: the annotation, or null if there is none. */
  public record Found(Annotation annotation) implements CborSerializable {}

  /**
   * Creates or changes annotations: merges the given fields into existing ones ({@code replace}
   * false, OpenTSDB's POST) or replaces them (PUT). Changes must already be valid and have changes.
   */
  public record Upsert(List<AnnotationChange> changes, boolean replace, ActorRef<Upserted> replyTo)
      implements Command {}

  /**
   * The answer to {@link Upsert}: the annotations as stored, in request order, or, when the store's
   * limits did not allow the write, nothing stored and the reason.
   */
  public record Upserted(List<Annotation> stored, String rejection) implements CborSerializable {}

  /** Deletes one annotation, if it exists. */
  public record Delete(Annotation.Key key, ActorRef<Removed> replyTo) implements Command {}

  /**
   * Deletes the annotations of the given TSUIDs, and the global ones if {@code global}, whose start
   * time lies in {@code [startMs, endMs]}.
   */
  public record DeleteRange(
      List<String> tsuids, boolean global, long startMs, long endMs, ActorRef<Removed> replyTo)
      implements Command {}

  /** How many annotations a delete removed. */
  public record Removed(int count) implements CborSerializable {}

  /**
   * The annotations whose time span meets {@code [startMs, endMs]}: those of series whose TSUID
   * starts with one of {@code tsuidPrefixes} (e.g. metric UIDs), and the global ones if {@code
   * global}.
   */
  public record Query(
      long startMs,
      long endMs,
      List<String> tsuidPrefixes,
      boolean global,
      ActorRef<InRange> replyTo)
      implements Command {}

  /**
   * The answer to a {@link Query}, each list sorted by start time.
   *
   * @param series the matching annotations of series
   * @param global the global annotations in range, if asked for
   * @param seriesInRange how many annotations of any series are in range, matching or not, so that
   *     a caller can tell cheaply whether series annotations are worth looking for
   */
  public record InRange(List<Annotation> series, List<Annotation> global, int seriesInRange)
      implements CborSerializable {}

  /** What the store persists. */
  public sealed interface Event extends CborSerializable
      permits AnnotationsStored, AnnotationsRemoved {}

  /** Annotations created or changed by one request, as stored. */
  public record AnnotationsStored(List<Annotation> annotations) implements Event {}

  /** Annotations deleted by one request. */
  public record AnnotationsRemoved(List<Annotation.Key> keys) implements Event {}

  /**
   * The tenant's annotations sorted by start time, then TSUID, with their approximate total size.
   * Immutable: every change returns a new state.
   */
  @JsonAutoDetect(
      fieldVisibility = JsonAutoDetect.Visibility.NONE,
      getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  public static final class State implements CborSerializable {

    private static final Comparator<Annotation.Key> ORDER =
        Comparator.comparingLong(Annotation.Key::startTime).thenComparing(Annotation.Key::tsuid);

    private final SortedMap<Annotation.Key, Annotation> annotations;
    private final long bytes;

    private State(SortedMap<Annotation.Key, Annotation> annotations) {
      this.annotations = Collections.unmodifiableSortedMap(annotations);
      long total = 0;
      for (Annotation annotation : annotations.values()) {
        total += annotation.approximateBytes();
      }
      this.bytes = total;
    }

    static State empty() {
      return new State(new TreeMap<>(ORDER));
    }

    /** Jackson form: the list of annotations. */
    @JsonCreator
    static State fromList(@JsonProperty("annotations") List<Annotation> list) {
      TreeMap<Annotation.Key, Annotation> byKey = new TreeMap<>(ORDER);
      if (list != null) {
        for (Annotation annotation : list) {
          byKey.put(annotation.key(), annotation);
        }
      }
      return new State(byKey);
    }

    @JsonProperty("annotations")
    List<Annotation> list() {
      return List.copyOf(annotations.values());
    }

    Annotation get(Annotation.Key key) {
      return annotations.get(key);
    }

    int count() {
      return annotations.size();
    }

    long bytes() {
      return bytes;
    }

    State withStored(List<Annotation> stored) {
      TreeMap<Annotation.Key, Annotation> next = new TreeMap<>(annotations);
      for (Annotation annotation : stored) {
        next.put(annotation.key(), annotation);
      }
      return new State(next);
    }

    State withRemoved(List<Annotation.Key> keys) {
      TreeMap<Annotation.Key, Annotation> next = new TreeMap<>(annotations);
      keys.forEach(next::remove);
      return new State(next);
    }

    /** The annotations that start at or before {@code endMs}; only those can overlap a range. */
    private Iterable<Annotation> startingBy(long endMs) {
      long lastSecond = Math.floorDiv(endMs, 1000);
      if (lastSecond == Long.MAX_VALUE) {
        return annotations.values();
      }
      return annotations.headMap(new Annotation.Key("", lastSecond + 1)).values();
    }

    InRange query(Query query) {
      List<Annotation> series = new ArrayList<>();
      List<Annotation> global = new ArrayList<>();
      int seriesInRange = 0;
      for (Annotation annotation : startingBy(query.endMs())) {
        if (!annotation.overlaps(query.startMs(), query.endMs())) {
          continue;
        }
        if (annotation.global()) {
          if (query.global()) {
            global.add(annotation);
          }
          continue;
        }
        seriesInRange++;
        for (String prefix : query.tsuidPrefixes()) {
          if (annotation.tsuid().startsWith(prefix)) {
            series.add(annotation);
            break;
          }
        }
      }
      return new InRange(series, global, seriesInRange);
    }

    List<Annotation.Key> inRange(DeleteRange range) {
      Set<String> tsuids = new HashSet<>(range.tsuids());
      List<Annotation.Key> keys = new ArrayList<>();
      for (Annotation annotation : startingBy(range.endMs())) {
        long startMs = annotation.startTime() * 1000;
        boolean selected =
            annotation.global() ? range.global() : tsuids.contains(annotation.tsuid());
        if (selected && startMs >= range.startMs()) {
          keys.add(annotation.key());
        }
      }
      return keys;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State other && annotations.equals(other.annotations);
    }

    @Override
    public int hashCode() {
      return annotations.hashCode();
    }

    @Override
    public String toString() {
      return "State[" + annotations.size() + " annotations, ~" + bytes + " bytes]";
    }
  }

  private final AnnotationSettings settings;

  /** Registers the entity type with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, AnnotationSettings settings) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings)));
  }

  public static Behavior<Command> create(String tenant, AnnotationSettings settings) {
    return new AnnotationStore(tenant, settings);
  }

  private AnnotationStore(String tenant, AnnotationSettings settings) {
    super(PersistenceId.of(ENTITY_KEY.name(), tenant), JournalFailures.restartWithBackoff());
    this.settings = settings;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            Get.class, (state, c) -> Effect().reply(c.replyTo(), new Found(state.get(c.key()))))
        .onCommand(Upsert.class, this::onUpsert)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(DeleteRange.class, this::onDeleteRange)
        .onCommand(Query.class, (state, c) -> Effect().reply(c.replyTo(), state.query(c)))
        .build();
  }

  private ReplyEffect<Event, State> onUpsert(State state, Upsert command) {
    // Later changes of the same annotation in one request build on the earlier ones.
    Map<Annotation.Key, Annotation> stored = new LinkedHashMap<>();
    List<Annotation> answer = new ArrayList<>(command.changes().size());
    for (AnnotationChange change : command.changes()) {
      Annotation existing = stored.getOrDefault(change.key(), state.get(change.key()));
      Annotation next = change.applyTo(existing, command.replace());
      stored.put(next.key(), next);
      answer.add(next);
    }
    List<Annotation> event = List.copyOf(stored.values());
    State after = state.withStored(event);
    String rejection = rejection(state, after);
    if (rejection != null) {
      return Effect().reply(command.replyTo(), new Upserted(List.of(), rejection));
    }
    return Effect()
        .persist(new AnnotationsStored(event))
        .thenReply(command.replyTo(), s -> new Upserted(answer, null));
  }

  /** Why the state after a write is not allowed, or null; shrinking writes are always allowed. */
  private String rejection(State before, State after) {
    if (after.count() > settings.maxCount() && after.count() > before.count()) {
      return "The tenant would hold "
          + after.count()
          + " annotations; the limit is "
          + settings.maxCount()
          + " (meridian.annotations.max-count)";
    }
    if (after.bytes() > settings.maxBytes() && after.bytes() > before.bytes()) {
      return "The tenant's annotations would take about "
          + after.bytes()
          + " bytes; the limit is "
          + settings.maxBytes()
          + " (meridian.annotations.max-bytes)";
    }
    return null;
  }

  private ReplyEffect<Event, State> onDelete(State state, Delete command) {
    if (state.get(command.key()) == null) {
      return Effect().reply(command.replyTo(), new Removed(0));
    }
    return Effect()
        .persist(new AnnotationsRemoved(List.of(command.key())))
        .thenReply(command.replyTo(), s -> new Removed(1));
  }

  private ReplyEffect<Event, State> onDeleteRange(State state, DeleteRange command) {
    List<Annotation.Key> keys = state.inRange(command);
    if (keys.isEmpty()) {
      return Effect().reply(command.replyTo(), new Removed(0));
    }
    return Effect()
        .persist(new AnnotationsRemoved(keys))
        .thenReply(command.replyTo(), s -> new Removed(keys.size()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(AnnotationsStored.class, (state, event) -> state.withStored(event.annotations()))
        .onEvent(AnnotationsRemoved.class, (state, event) -> state.withRemoved(event.keys()))
        .build();
  }

  @Override
  public boolean shouldSnapshot(State state, Event event, long sequenceNr) {
    return sequenceNr % settings.snapshotEvery() == 0;
  }
}
