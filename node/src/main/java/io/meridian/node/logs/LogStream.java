package io.meridian.node.logs;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.meridian.node.JournalFailures;
import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A log-stream entity: the log entries of one tenant in one time bucket, kept sorted by timestamp
 * and, among equal timestamps, by arrival. Each append batch becomes one persisted event and is
 * acknowledged only once durable; afterwards the stream tells the cluster (through its node's
 * {@link LogWaiters}) which time span the batch covered, which wakes long-polling readers.
 */
public final class LogStream
    extends EventSourcedBehaviorWithEnforcedReplies<
        LogStream.Command, LogStream.Event, LogStream.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "LogStream");

  /** Messages a log stream accepts. */
  public sealed interface Command extends CborSerializable permits Append, Read, DeleteRange {}

  /** Stores entries (in arrival order); replies once they are durable. */
  public record Append(List<LogEntry> entries, ActorRef<Appended> replyTo) implements Command {}

  /** The acknowledgement of an {@link Append}: how many entries it stored. */
  public record Appended(int entries) implements CborSerializable {}

  /**
   * Reads the entries in {@code (fromExclusive, toInclusive]} that pass the filter, in order,
   * starting after {@code after} (null: from the start) and answering at most {@code limit} entries
   * of at most about {@code maxBytes} (at least one entry).
   */
  public record Read(
      long fromExclusive,
      long toInclusive,
      Position after,
      LogFilter filter,
      int limit,
      long maxBytes,
      ActorRef<Page> replyTo)
      implements Command {}

  /** Where an entry stands in a stream: its timestamp and its arrival number. */
  public record Position(long timestampMs, long seq) implements CborSerializable {}

  /**
   * The answer to a {@link Read}: entries in order, and whether more matching ones follow (then
   * read again after {@code resumeAfter}, which is null when there are none).
   */
  public record Page(List<LogEntry> entries, boolean more, Position resumeAfter)
      implements CborSerializable {}

  /** Deletes the entries in {@code (fromExclusive, toInclusive]}; replies once durable. */
  public record DeleteRange(long fromExclusive, long toInclusive, ActorRef<Deleted> replyTo)
      implements Command {}

  /** The acknowledgement of a {@link DeleteRange}: how many entries it removed. */
  public record Deleted(int entries) implements CborSerializable {}

  /** What a log stream persists. */
  public sealed interface Event extends CborSerializable permits EntriesAppended, RangeDeleted {}

  /** One append batch, in arrival order. */
  public record EntriesAppended(List<LogEntry> entries) implements Event {}

  /** The entries in {@code (fromExclusive, toInclusive]} were deleted. */
  public record RangeDeleted(long fromExclusive, long toInclusive) implements Event {}

  /** An entry with its arrival number, which orders entries of equal timestamp. */
  public record Stored(long seq, LogEntry entry) implements CborSerializable {}

  private static final Comparator<Stored> ORDER =
      Comparator.<Stored>comparingLong(s -> s.entry().timestampMs()).thenComparingLong(Stored::seq);

  /**
   * The stream's entries, sorted, in chunks of at most {@link #CHUNK} entries. Immutable: an append
   * rewrites only the chunks from the first one it reaches into, which for entries arriving in time
   * order is the last one, so appending costs little however long the stream is.
   */
  @JsonAutoDetect(
      fieldVisibility = JsonAutoDetect.Visibility.NONE,
      getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  public static final class State implements CborSerializable {

    static final int CHUNK = 1024;

    private final List<List<Stored>> chunks;
    private final long nextSeq;
    private final int count;
    private final long bytes;

    private State(List<List<Stored>> chunks, long nextSeq, int count, long bytes) {
      this.chunks = List.copyOf(chunks);
      this.nextSeq = nextSeq;
      this.count = count;
      this.bytes = bytes;
    }

    /** A state of these chunks, counting their entries and bytes (a full pass: not for appends). */
    private static State counted(List<List<Stored>> chunks, long nextSeq) {
      int n = 0;
      long b = 0;
      for (List<Stored> chunk : chunks) {
        n += chunk.size();
        for (Stored stored : chunk) {
          b += bytes(stored.entry());
        }
      }
      return new State(chunks, nextSeq, n, b);
    }

    static State empty() {
      return new State(List.of(), 0, 0, 0);
    }

    /** Jackson form: the entries in order and the next arrival number. */
    @JsonCreator
    static State fromEntries(
        @JsonProperty("entries") List<Stored> entries, @JsonProperty("nextSeq") long nextSeq) {
      return counted(chunked(entries), nextSeq);
    }

    @JsonProperty("entries")
    List<Stored> entries() {
      List<Stored> all = new ArrayList<>(count);
      chunks.forEach(all::addAll);
      return all;
    }

    @JsonProperty("nextSeq")
    long nextSeq() {
      return nextSeq;
    }

    int count() {
      return count;
    }

    int chunkCount() {
      return chunks.size();
    }

    /** Approximate serialized size, which bounds snapshots. */
    long bytes() {
      return bytes;
    }

    /** An entry's approximate serialized size: its text and fields plus CBOR framing. */
    static long bytes(LogEntry entry) {
      return 32L + entry.json().length() + entry.service().length();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State other
          && nextSeq == other.nextSeq
          && entries().equals(other.entries());
    }

    @Override
    public int hashCode() {
      return Long.hashCode(nextSeq) * 31 + count;
    }

    @Override
    public String toString() {
      return "State[" + count + " entries]";
    }

    State withAppended(List<LogEntry> batch) {
      if (batch.isEmpty()) {
        return this;
      }
      List<Stored> incoming = new ArrayList<>(batch.size());
      long seq = nextSeq;
      long batchBytes = 0;
      for (LogEntry entry : batch) {
        incoming.add(new Stored(seq++, entry));
        batchBytes += bytes(entry);
      }
      incoming.sort(ORDER);
      long earliest = incoming.get(0).entry().timestampMs();
      // Keep every chunk that ends at or before the batch's earliest entry; an unfilled last chunk
      // is rewritten anyway so that appends one by one do not leave a trail of tiny chunks.
      int keep = chunks.size();
      while (keep > 0 && lastTimestamp(chunks.get(keep - 1)) > earliest) {
        keep--;
      }
      if (keep == chunks.size() && keep > 0 && chunks.get(keep - 1).size() < CHUNK) {
        keep--;
      }
      List<Stored> existing = new ArrayList<>();
      for (int i = keep; i < chunks.size(); i++) {
        existing.addAll(chunks.get(i));
      }
      List<List<Stored>> next = new ArrayList<>(chunks.subList(0, keep));
      next.addAll(chunked(merge(existing, incoming)));
      return new State(next, seq, count + batch.size(), bytes + batchBytes);
    }

    State withDeleted(long fromExclusive, long toInclusive) {
      List<Stored> kept = new ArrayList<>();
      List<List<Stored>> next = new ArrayList<>();
      for (List<Stored> chunk : chunks) {
        if (lastTimestamp(chunk) <= fromExclusive
            || chunk.get(0).entry().timestampMs() > toInclusive) {
          next.addAll(chunked(kept));
          kept.clear();
          next.add(chunk);
          continue;
        }
        for (Stored stored : chunk) {
          long t = stored.entry().timestampMs();
          if (t <= fromExclusive || t > toInclusive) {
            kept.add(stored);
          }
        }
      }
      next.addAll(chunked(kept));
      return counted(next, nextSeq);
    }

    int countIn(long fromExclusive, long toInclusive) {
      int n = 0;
      for (List<Stored> chunk : chunks) {
        for (Stored stored : chunk) {
          long t = stored.entry().timestampMs();
          if (t > fromExclusive && t <= toInclusive) {
            n++;
          }
        }
      }
      return n;
    }

    Page read(Read query) {
      List<LogEntry> page = new ArrayList<>();
      long pageBytes = 0;
      Stored last = null;
      // A later page starts at the chunk of its resume position, not at the start of the range.
      long skipUpTo = query.fromExclusive();
      if (query.after() != null && query.after().timestampMs() > Long.MIN_VALUE) {
        skipUpTo = Math.max(skipUpTo, query.after().timestampMs() - 1);
      }
      for (int c = firstChunkAfter(skipUpTo); c < chunks.size(); c++) {
        for (Stored stored : chunks.get(c)) {
          long t = stored.entry().timestampMs();
          if (t <= query.fromExclusive() || isAtOrBefore(stored, query.after())) {
            continue;
          }
          if (t > query.toInclusive()) {
            return new Page(page, false, null);
          }
          if (!query.filter().accepts(stored.entry())) {
            continue;
          }
          long size = bytes(stored.entry());
          if (!page.isEmpty()
              && (page.size() >= query.limit() || pageBytes + size > query.maxBytes())) {
            return new Page(page, true, new Position(last.entry().timestampMs(), last.seq()));
          }
          page.add(stored.entry());
          pageBytes += size;
          last = stored;
        }
      }
      return new Page(page, false, null);
    }

    private static boolean isAtOrBefore(Stored stored, Position position) {
      if (position == null) {
        return false;
      }
      long t = stored.entry().timestampMs();
      return t < position.timestampMs()
          || (t == position.timestampMs() && stored.seq() <= position.seq());
    }

    /** The first chunk holding an entry after {@code timestampMs}, by binary search. */
    private int firstChunkAfter(long timestampMs) {
      int low = 0;
      int high = chunks.size();
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (lastTimestamp(chunks.get(mid)) <= timestampMs) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    }

    private static long lastTimestamp(List<Stored> chunk) {
      return chunk.get(chunk.size() - 1).entry().timestampMs();
    }

    private static List<Stored> merge(List<Stored> a, List<Stored> b) {
      List<Stored> merged = new ArrayList<>(a.size() + b.size());
      int i = 0;
      int j = 0;
      while (i < a.size() && j < b.size()) {
        merged.add(ORDER.compare(a.get(i), b.get(j)) <= 0 ? a.get(i++) : b.get(j++));
      }
      merged.addAll(a.subList(i, a.size()));
      merged.addAll(b.subList(j, b.size()));
      return merged;
    }

    private static List<List<Stored>> chunked(List<Stored> sorted) {
      List<List<Stored>> result = new ArrayList<>();
      for (int from = 0; from < sorted.size(); from += CHUNK) {
        result.add(List.copyOf(sorted.subList(from, Math.min(sorted.size(), from + CHUNK))));
      }
      return result;
    }
  }

  private final String tenant;
  private final LogSettings settings;
  private final ActorRef<LogWaiters.Command> waiters;

  /**
   * Registers the entity type with Cluster Sharding on this node; streams started here announce
   * their appends through {@code waiters}, this node's registry.
   */
  public static void init(
      ActorSystem<?> system, LogSettings settings, ActorRef<LogWaiters.Command> waiters) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, waiters)));
  }

  public static Behavior<Command> create(
      String entityId, LogSettings settings, ActorRef<LogWaiters.Command> waiters) {
    return new LogStream(entityId, settings, waiters);
  }

  /** The entity id of a tenant's stream for one bucket. */
  public static String entityId(String tenant, long bucket) {
    return tenant + "@" + bucket;
  }

  static String tenantOf(String entityId) {
    return entityId.substring(0, entityId.lastIndexOf('@'));
  }

  private LogStream(String entityId, LogSettings settings, ActorRef<LogWaiters.Command> waiters) {
    super(PersistenceId.of(ENTITY_KEY.name(), entityId), JournalFailures.restartWithBackoff());
    this.tenant = tenantOf(entityId);
    this.settings = settings;
    this.waiters = waiters;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Append.class, this::onAppend)
        .onCommand(Read.class, (state, c) -> Effect().reply(c.replyTo(), state.read(c)))
        .onCommand(DeleteRange.class, this::onDeleteRange)
        .build();
  }

  private ReplyEffect<Event, State> onAppend(State state, Append command) {
    List<LogEntry> entries = command.entries();
    if (entries.isEmpty()) {
      return Effect().reply(command.replyTo(), new Appended(0));
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (LogEntry entry : entries) {
      min = Math.min(min, entry.timestampMs());
      max = Math.max(max, entry.timestampMs());
    }
    LogWaiters.LogsAppended appended = new LogWaiters.LogsAppended(tenant, min, max);
    return Effect()
        .persist(new EntriesAppended(List.copyOf(entries)))
        .thenRun(s -> waiters.tell(new LogWaiters.Publish(appended)))
        .thenReply(command.replyTo(), s -> new Appended(entries.size()));
  }

  private ReplyEffect<Event, State> onDeleteRange(State state, DeleteRange command) {
    int removed = state.countIn(command.fromExclusive(), command.toInclusive());
    if (removed == 0) {
      return Effect().reply(command.replyTo(), new Deleted(0));
    }
    return Effect()
        .persist(new RangeDeleted(command.fromExclusive(), command.toInclusive()))
        .thenReply(command.replyTo(), s -> new Deleted(removed));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(EntriesAppended.class, (state, event) -> state.withAppended(event.entries()))
        .onEvent(
            RangeDeleted.class,
            (state, event) -> state.withDeleted(event.fromExclusive(), event.toInclusive()))
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // The node's topic for this tenant starts learning where listeners are before the first
    // append is published, so that first notification is not dropped for want of a listing.
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> waiters.tell(new LogWaiters.PrepareTopic(tenant)))
        .build();
  }

  @Override
  public boolean shouldSnapshot(State state, Event event, long sequenceNr) {
    return sequenceNr % settings.snapshotEvery() == 0
        && state.bytes() <= settings.snapshotMaxBytes();
  }
}
