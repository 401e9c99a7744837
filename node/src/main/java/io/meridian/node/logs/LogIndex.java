package io.meridian.node.logs;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.meridian.node.JournalFailures;
import io.meridian.protocol.CborSerializable;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
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
 * The log index of one tenant: which buckets have ever received entries, so that an excerpt or a
 * delete over a long range asks only the streams that may hold data. A bucket is added before the
 * first append to it is acknowledged; it is never removed, since another node may be appending to
 * it on the strength of having seen it here.
 */
public final class LogIndex
    extends EventSourcedBehaviorWithEnforcedReplies<
        LogIndex.Command, LogIndex.Event, LogIndex.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "LogIndex");

  /** Messages a log index accepts. */
  public sealed interface Command extends CborSerializable permits AddBuckets, ListBuckets {}

  /** Records that these buckets hold entries; replies once durable. */
  public record AddBuckets(List<Long> buckets, ActorRef<BucketsKnown> replyTo) implements Command {}

  /** The acknowledgement of {@link AddBuckets}. */
  public record BucketsKnown(int added) implements CborSerializable {}

  /** Lists the buckets in {@code [fromBucket, toBucket]} that hold entries. */
  public record ListBuckets(long fromBucket, long toBucket, ActorRef<Buckets> replyTo)
      implements Command {}

  /** Buckets in ascending order, the answer to {@link ListBuckets}. */
  public record Buckets(List<Long> buckets) implements CborSerializable {}

  /** What a log index persists. */
  public sealed interface Event extends CborSerializable permits BucketsAdded {}

  /** Buckets that received their first entries. */
  public record BucketsAdded(List<Long> buckets) implements Event {}

  /** The tenant's non-empty buckets. Immutable: adding returns a new state. */
  @JsonAutoDetect(
      fieldVisibility = JsonAutoDetect.Visibility.NONE,
      getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  public static final class State implements CborSerializable {

    private final NavigableSet<Long> buckets;

    private State(NavigableSet<Long> buckets) {
      this.buckets = Collections.unmodifiableNavigableSet(buckets);
    }

    static State empty() {
      return new State(new TreeSet<>());
    }

    @JsonCreator
    static State of(@JsonProperty("buckets") List<Long> buckets) {
      return new State(new TreeSet<>(buckets));
    }

    @JsonProperty("buckets")
    List<Long> buckets() {
      return List.copyOf(buckets);
    }

    List<Long> unknown(List<Long> candidates) {
      return candidates.stream().distinct().filter(b -> !buckets.contains(b)).toList();
    }

    State withAdded(List<Long> added) {
      TreeSet<Long> next = new TreeSet<>(buckets);
      next.addAll(added);
      return new State(next);
    }

    Buckets between(long fromBucket, long toBucket) {
      if (toBucket < fromBucket) {
        return new Buckets(List.of());
      }
      return new Buckets(List.copyOf(buckets.subSet(fromBucket, true, toBucket, true)));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State other && buckets.equals(other.buckets);
    }

    @Override
    public int hashCode() {
      return buckets.hashCode();
    }

    @Override
    public String toString() {
      return "State" + buckets;
    }
  }

  private final int snapshotEvery;

  /** Registers the entity type with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, LogSettings settings) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings)));
  }

  /** A tenant's index; the entity id is the tenant. */
  public static Behavior<Command> create(String tenant, LogSettings settings) {
    return new LogIndex(tenant, settings);
  }

  private LogIndex(String tenant, LogSettings settings) {
    super(PersistenceId.of(ENTITY_KEY.name(), tenant), JournalFailures.restartWithBackoff());
    this.snapshotEvery = settings.snapshotEvery();
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(AddBuckets.class, this::onAddBuckets)
        .onCommand(
            ListBuckets.class,
            (state, c) -> Effect().reply(c.replyTo(), state.between(c.fromBucket(), c.toBucket())))
        .build();
  }

  private ReplyEffect<Event, State> onAddBuckets(State state, AddBuckets command) {
    List<Long> unknown = state.unknown(command.buckets());
    if (unknown.isEmpty()) {
      return Effect().reply(command.replyTo(), new BucketsKnown(0));
    }
    return Effect()
        .persist(new BucketsAdded(unknown))
        .thenReply(command.replyTo(), s -> new BucketsKnown(unknown.size()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(BucketsAdded.class, (state, event) -> state.withAdded(event.buckets()))
        .build();
  }

  @Override
  public boolean shouldSnapshot(State state, Event event, long sequenceNr) {
    // A bucket is a few bytes: even decades of hourly buckets fit one mutation.
    return sequenceNr % snapshotEvery == 0;
  }
}
