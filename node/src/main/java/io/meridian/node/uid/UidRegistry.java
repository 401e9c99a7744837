package io.meridian.node.uid;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.meridian.node.JournalFailures;
import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.opentsdb.Tsuids;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * The unique-ID registry of one tenant (entity id = tenant): OpenTSDB's UID tables for metrics, tag
 * keys and tag values, with their meta data. UIDs are assigned lazily — when a TSUID, a lookup or
 * {@code /api/uid/assign} first needs one, never on the write path — sequentially from 1 per kind,
 * and each request that assigns persists one event with all its new UIDs before it is answered, so
 * an answered UID never changes.
 *
 * <p>Bounds: at most {@link Tsuids#MAX_UID} UIDs per kind. The state is copied on every change
 * (changes are rare: a name is assigned once), and snapshots are only taken while the tenant has at
 * most {@code meridian.uid.snapshot-max-names} names, as a larger snapshot would exceed Cassandra's
 * mutation size; beyond that, recovery replays the events after the last snapshot.
 */
public final class UidRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<
        UidRegistry.Command, UidRegistry.Event, UidRegistry.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "UidRegistry");

  /** Messages the registry accepts. */
  public sealed interface Command extends CborSerializable
      permits Assign, Find, Resolve, GetMeta, UpdateMeta, DeleteMeta {}

  /** A name of one kind. */
  public record Name(UidKind kind, String name) implements CborSerializable {}

  /** A UID of one kind. */
  public record Id(UidKind kind, int uid) implements CborSerializable {}

  /**
   * A name with its UID.
   *
   * @param assigned whether this request assigned the UID (false: it existed before, or an earlier
   *     name of the same request assigned it)
   */
  public record Uid(UidKind kind, String name, int uid, boolean assigned)
      implements CborSerializable {}

  /** A name that got no UID because its kind has none left. */
  public record Rejected(Name name, String reason) implements CborSerializable {}

  /**
   * Returns the UID of every name, assigning the missing ones in request order. Names must already
   * be valid OpenTSDB names.
   */
  public record Assign(List<Name> names, ActorRef<Uids> replyTo) implements Command {}

  /** Returns the UIDs of the names that have one; assigns nothing. */
  public record Find(List<Name> names, ActorRef<Uids> replyTo) implements Command {}

  /** The answer to {@link Assign} and {@link Find}: UIDs in request order, and names without. */
  public record Uids(List<Uid> uids, List<Rejected> rejected) implements CborSerializable {}

  /** Returns the names of the UIDs that exist; unknown UIDs are left out of the answer. */
  public record Resolve(List<Id> ids, ActorRef<Uids> replyTo) implements Command {}

  /** Returns a UID's meta data, or null meta data if the UID does not exist. */
  public record GetMeta(Id id, ActorRef<MetaReply> replyTo) implements Command {}

  /**
   * Changes a UID's user-editable meta data: merges the given fields ({@code replace} false,
   * OpenTSDB's POST) or replaces all of them (PUT).
   */
  public record UpdateMeta(
      Id id, UidMetaChange change, boolean replace, ActorRef<MetaReply> replyTo)
      implements Command {}

  /**
   * Resets a UID's user-editable meta data; the UID and its name stay (OpenTSDB's DELETE never
   * deletes the assignment).
   */
  public record DeleteMeta(Id id, ActorRef<MetaReply> replyTo) implements Command {}

  /** A UID's meta data after the command; null when the UID does not exist. */
  public record MetaReply(UidMeta meta) implements CborSerializable {}

  /** What the registry persists. */
  public sealed interface Event extends CborSerializable
      permits UidsAssigned, MetaUpdated, MetaCleared {}

  /** The UIDs one request assigned, all at {@code created} (Unix epoch seconds). */
  public record UidsAssigned(List<Uid> uids, long created) implements Event {}

  /** A UID's meta data after an update. */
  public record MetaUpdated(UidMeta meta) implements Event {}

  /** A UID's user-editable meta data was reset. */
  public record MetaCleared(Id id) implements Event {}

  /**
   * The registry's UIDs: per kind, the meta data of every UID in UID order (UID n at index n - 1)
   * and the reverse index from name to UID. Immutable: every change returns a new state.
   */
  @JsonAutoDetect(
      fieldVisibility = JsonAutoDetect.Visibility.NONE,
      getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  public static final class State implements CborSerializable {

    private final Map<UidKind, List<UidMeta>> metas;
    private final Map<UidKind, Map<String, Integer>> ids;

    private State(
        EnumMap<UidKind, List<UidMeta>> metas, EnumMap<UidKind, Map<String, Integer>> ids) {
      this.metas = metas;
      this.ids = ids;
    }

    private static State of(Map<UidKind, List<UidMeta>> metas) {
      EnumMap<UidKind, List<UidMeta>> lists = new EnumMap<>(UidKind.class);
      EnumMap<UidKind, Map<String, Integer>> index = new EnumMap<>(UidKind.class);
      for (UidKind kind : UidKind.values()) {
        List<UidMeta> list = List.copyOf(metas.getOrDefault(kind, List.of()));
        lists.put(kind, list);
        index.put(kind, indexOf(list));
      }
      return new State(lists, index);
    }

    private static Map<String, Integer> indexOf(List<UidMeta> list) {
      Map<String, Integer> byName = new HashMap<>();
      for (UidMeta meta : list) {
        byName.put(meta.name(), meta.uid());
      }
      return Map.copyOf(byName);
    }

    static State empty() {
      return of(Map.of());
    }

    /** Jackson form: the meta data lists only; the name index is rebuilt. */
    @JsonCreator
    static State fromMetas(@JsonProperty("metas") Map<UidKind, List<UidMeta>> metas) {
      return of(metas == null ? Map.of() : metas);
    }

    @JsonProperty("metas")
    Map<UidKind, List<UidMeta>> metas() {
      return metas;
    }

    /** The UID of a name, or 0 (never a UID) when it has none. */
    int uidOf(UidKind kind, String name) {
      return ids.get(kind).getOrDefault(name, 0);
    }

    /** A UID's meta data, or null when the UID was never assigned. */
    UidMeta meta(Id id) {
      List<UidMeta> list = metas.get(id.kind());
      return id.uid() >= 1 && id.uid() <= list.size() ? list.get(id.uid() - 1) : null;
    }

    /** How many UIDs of the kind exist, which is also the last one assigned. */
    int count(UidKind kind) {
      return metas.get(kind).size();
    }

    int totalNames() {
      return count(UidKind.METRIC) + count(UidKind.TAGK) + count(UidKind.TAGV);
    }

    /** Only the kinds that got new names are copied. */
    State withAssigned(UidsAssigned event) {
      EnumMap<UidKind, List<UidMeta>> lists = new EnumMap<>(metas);
      EnumMap<UidKind, Map<String, Integer>> index = new EnumMap<>(ids);
      for (UidKind kind : UidKind.values()) {
        List<UidMeta> list = null;
        Map<String, Integer> byName = null;
        for (Uid uid : event.uids()) {
          if (uid.kind() != kind) {
            continue;
          }
          if (list == null) {
            list = new ArrayList<>(metas.get(kind));
            byName = new HashMap<>(ids.get(kind));
          }
          list.add(UidMeta.assigned(kind, uid.uid(), uid.name(), event.created()));
          byName.put(uid.name(), uid.uid());
        }
        if (list != null) {
          lists.put(kind, List.copyOf(list));
          index.put(kind, Map.copyOf(byName));
        }
      }
      return new State(lists, index);
    }

    /** Meta data changes leave names, and so the name index, as they are. */
    State withMeta(UidMeta meta) {
      EnumMap<UidKind, List<UidMeta>> lists = new EnumMap<>(metas);
      List<UidMeta> list = new ArrayList<>(metas.get(meta.kind()));
      list.set(meta.uid() - 1, meta);
      lists.put(meta.kind(), List.copyOf(list));
      return new State(lists, new EnumMap<>(ids));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State other && metas.equals(other.metas);
    }

    @Override
    public int hashCode() {
      return metas.hashCode();
    }

    @Override
    public String toString() {
      return "State[metrics="
          + count(UidKind.METRIC)
          + ", tagk="
          + count(UidKind.TAGK)
          + ", tagv="
          + count(UidKind.TAGV)
          + "]";
    }
  }

  private final UidSettings settings;
  private final Clock clock;

  /** Registers the entity type with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, UidSettings settings) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, Clock.systemUTC())));
  }

  public static Behavior<Command> create(String tenant, UidSettings settings, Clock clock) {
    return new UidRegistry(tenant, settings, clock);
  }

  private UidRegistry(String tenant, UidSettings settings, Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), tenant), JournalFailures.restartWithBackoff());
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Assign.class, this::onAssign)
        .onCommand(Find.class, (state, c) -> Effect().reply(c.replyTo(), find(state, c.names())))
        .onCommand(Resolve.class, (state, c) -> Effect().reply(c.replyTo(), resolve(state, c)))
        .onCommand(
            GetMeta.class,
            (state, c) -> Effect().reply(c.replyTo(), new MetaReply(state.meta(c.id()))))
        .onCommand(UpdateMeta.class, this::onUpdateMeta)
        .onCommand(DeleteMeta.class, this::onDeleteMeta)
        .build();
  }

  private ReplyEffect<Event, State> onAssign(State state, Assign command) {
    List<Uid> answer = new ArrayList<>(command.names().size());
    List<Uid> assigned = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    Map<Name, Integer> fresh = new HashMap<>();
    EnumMap<UidKind, Integer> last = new EnumMap<>(UidKind.class);
    for (UidKind kind : UidKind.values()) {
      last.put(kind, state.count(kind));
    }
    for (Name name : command.names()) {
      int existing = state.uidOf(name.kind(), name.name());
      Integer earlier = fresh.get(name);
      if (existing > 0 || earlier != null) {
        answer.add(new Uid(name.kind(), name.name(), existing > 0 ? existing : earlier, false));
        continue;
      }
      int next = last.get(name.kind()) + 1;
      if (next > Tsuids.MAX_UID) {
        rejected.add(
            new Rejected(
                name,
                "All Unique IDs for "
                    + name.kind().qualifier()
                    + " on "
                    + Tsuids.UID_BYTES
                    + " bytes are already assigned!"));
        continue;
      }
      last.put(name.kind(), next);
      fresh.put(name, next);
      Uid uid = new Uid(name.kind(), name.name(), next, true);
      assigned.add(uid);
      answer.add(uid);
    }
    Uids reply = new Uids(answer, rejected);
    if (assigned.isEmpty()) {
      return Effect().reply(command.replyTo(), reply);
    }
    return Effect()
        .persist(new UidsAssigned(assigned, clock.millis() / 1000))
        .thenReply(command.replyTo(), s -> reply);
  }

  private static Uids find(State state, List<Name> names) {
    List<Uid> found = new ArrayList<>();
    for (Name name : names) {
      int uid = state.uidOf(name.kind(), name.name());
      if (uid > 0) {
        found.add(new Uid(name.kind(), name.name(), uid, false));
      }
    }
    return new Uids(found, List.of());
  }

  private static Uids resolve(State state, Resolve command) {
    List<Uid> found = new ArrayList<>();
    for (Id id : command.ids()) {
      UidMeta meta = state.meta(id);
      if (meta != null) {
        found.add(new Uid(id.kind(), meta.name(), id.uid(), false));
      }
    }
    return new Uids(found, List.of());
  }

  private ReplyEffect<Event, State> onUpdateMeta(State state, UpdateMeta command) {
    UidMeta current = state.meta(command.id());
    if (current == null) {
      return Effect().reply(command.replyTo(), new MetaReply(null));
    }
    UidMeta updated = current.with(command.change(), command.replace());
    if (updated.equals(current)) {
      return Effect().reply(command.replyTo(), new MetaReply(current));
    }
    return Effect()
        .persist(new MetaUpdated(updated))
        .thenReply(command.replyTo(), s -> new MetaReply(s.meta(command.id())));
  }

  private ReplyEffect<Event, State> onDeleteMeta(State state, DeleteMeta command) {
    UidMeta current = state.meta(command.id());
    if (current == null || current.equals(current.cleared())) {
      return Effect().reply(command.replyTo(), new MetaReply(current));
    }
    return Effect()
        .persist(new MetaCleared(command.id()))
        .thenReply(command.replyTo(), s -> new MetaReply(s.meta(command.id())));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(UidsAssigned.class, State::withAssigned)
        .onEvent(MetaUpdated.class, (state, event) -> state.withMeta(event.meta()))
        .onEvent(
            MetaCleared.class,
            (state, event) ->
                state.withMeta(Objects.requireNonNull(state.meta(event.id())).cleared()))
        .build();
  }

  @Override
  public boolean shouldSnapshot(State state, Event event, long sequenceNr) {
    return sequenceNr % settings.snapshotEvery() == 0
        && state.totalNames() <= settings.snapshotMaxNames();
  }
}
