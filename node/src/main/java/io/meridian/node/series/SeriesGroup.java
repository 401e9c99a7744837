package io.meridian.node.series;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.typesafe.config.ConfigFactory;
import io.meridian.node.JournalFailures;
import io.meridian.node.metrics.NodeMetrics;
import io.meridian.node.metrics.SeriesCensus;
import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.chunk.XorChunk;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.promql.LabelMatcher;
import io.meridian.protocol.regex.RegexTooComplexException;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.DeleteEventsFailed;
import org.apache.pekko.persistence.typed.DeleteSnapshotsFailed;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A series-group entity: owns every series of one tenant whose key hashes to its group number.
 *
 * <p>Writes: each {@link Append} (which a node's {@link SeriesStore} may have combined from several
 * requests) becomes one persisted event holding its samples for this group, acknowledged only after
 * the journal write succeeded. The samples go into each series' head ({@link GroupState}):
 * Gorilla-compressed chunks of fixed time windows ({@code meridian.series.chunk-span}).
 *
 * <p>Sealing: a timer seals a window's chunk once the window has ended (plus {@code seal-delay},
 * for late samples) or the chunk is full, writes it to the chunk table ({@link ChunkStore}) and
 * then drops it from the head; a window's compacted parts beyond the newest {@code head-parts} go
 * the same way before the window ends ({@link PartsSealed}). Snapshots every {@code snapshot-every}
 * events delete the events before them, so memory and recovery are bounded by the heads, not by the
 * group's history.
 *
 * <p>Reads select series by metric and tag filters or PromQL matchers and return their head samples
 * in a time range, with the ids of series whose sealed chunks the reader must add from the chunk
 * table. Filters and matchers may hold users' regular expressions, whose matching stops with a
 * {@link RegexTooComplexException} when it backtracks too long: the group then answers with the
 * refusal ({@code refused} of the answer) instead of failing, which would stop the entity (and have
 * it recover its journal again) and leave the reader to time out.
 */
public final class SeriesGroup
    extends EventSourcedBehaviorWithEnforcedReplies<
        SeriesGroup.Command, SeriesGroup.Event, GroupState> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "SeriesGroup");

  /** The label that carries a series' metric in PromQL. */
  static final String METRIC_NAME = "__name__";

  /** Messages a series group accepts. */
  public sealed interface Command extends CborSerializable
      permits Append,
          Select,
          SelectMatching,
          Suggest,
          Lookup,
          Last,
          Stats,
          SealTick,
          ChunksWritten {}

  /** Stores a batch of samples; replies once they are durable in the journal. */
  public record Append(List<SeriesSamples> batch, ActorRef<Appended> replyTo) implements Command {}

  /**
   * The acknowledgement of an {@link Append}: how many samples are durable, and which were refused
   * (they are not stored, and writing them again is refused again).
   */
  public record Appended(long samples, List<Rejection> rejections) implements CborSerializable {

    public Appended(long samples) {
      this(samples, List.of());
    }
  }

  /**
   * Samples of an {@link Append} that the group refused: {@code samples} of the series at {@code
   * index} of the command's batch, for {@code reason} (e.g. the project's series limit, or
   * timestamps older than its retention).
   */
  public record Rejection(int index, int samples, String reason) implements CborSerializable {}

  /**
   * Selects the series of {@code metric} whose tags pass every filter (and, with {@code
   * explicitTags}, have no other tag keys) with their samples in {@code [startMs, endMs]}.
   */
  public record Select(
      String metric,
      List<TagFilter> filters,
      boolean explicitTags,
      long startMs,
      long endMs,
      ActorRef<Selected> replyTo)
      implements Command {}

  /**
   * The answer to a {@link Select}: whether this group knows the metric at all, and the matching
   * series (those without samples in the range included, with empty arrays) with their samples in
   * the group's head. {@code storedIds[i]} is the id of {@code series[i]} in the chunk table if
   * sealed chunks of it may hold samples in the range (they are to be read and merged under the
   * head's samples, which are newer writes), else -1. {@code [storedFromMs, storedToMs]} covers the
   * stored chunks of those series within the range, so a reader asks the chunk table for no more
   * days than hold any. {@code refused} is null, or why the group refused the read (a filter's
   * regular expression too complex to match, see {@link RegexTooComplexException}); then there are
   * no series.
   */
  public record Selected(
      boolean metricKnown,
      List<SeriesSamples> series,
      long[] storedIds,
      long storedFromMs,
      long storedToMs,
      String refused)
      implements CborSerializable {

    public Selected(
        boolean metricKnown,
        List<SeriesSamples> series,
        long[] storedIds,
        long storedFromMs,
        long storedToMs) {
      this(metricKnown, series, storedIds, storedFromMs, storedToMs, null);
    }

    static Selected refusal(String reason) {
      return new Selected(false, List.of(), new long[0], -1, -1, reason);
    }
  }

  /**
   * Selects the series whose labels ({@code __name__} = metric, the other labels = tags) pass every
   * PromQL matcher, a missing label matching as the empty string, and that have samples in {@code
   * [startMs, endMs]}: with those samples, or with {@code keysOnly} without any (the series and
   * label endpoints need only which series exist in the range).
   */
  public record SelectMatching(
      List<Matcher> matchers, long startMs, long endMs, boolean keysOnly, ActorRef<Matched> replyTo)
      implements Command {}

  /**
   * A PromQL label matcher as it travels in a {@link SelectMatching}: {@link LabelMatcher} holds a
   * compiled pattern, so the wire form is its type, name and value.
   */
  public record Matcher(LabelMatcher.Type type, String name, String value)
      implements CborSerializable {

    public static Matcher of(LabelMatcher matcher) {
      return new Matcher(matcher.type(), matcher.name(), matcher.value());
    }

    public static List<Matcher> of(List<LabelMatcher> matchers) {
      return matchers.stream().map(Matcher::of).toList();
    }

    LabelMatcher toLabelMatcher() {
      return LabelMatcher.of(type, name, value);
    }
  }

  /**
   * The answer to a {@link SelectMatching}: the matching series with samples in the range, with the
   * head's samples unless only keys were asked for (then with empty arrays). {@code storedIds},
   * {@code storedFromMs}, {@code storedToMs} and {@code refused} as in {@link Selected} (the three
   * first all -1 for keys only).
   */
  public record Matched(
      List<SeriesSamples> series,
      long[] storedIds,
      long storedFromMs,
      long storedToMs,
      String refused)
      implements CborSerializable {

    public Matched(
        List<SeriesSamples> series, long[] storedIds, long storedFromMs, long storedToMs) {
      this(series, storedIds, storedFromMs, storedToMs, null);
    }

    static Matched refusal(String reason) {
      return new Matched(List.of(), new long[0], -1, -1, reason);
    }
  }

  /** What {@link Suggest} completes: metric names, tag keys or tag values. */
  public enum NameKind {
    METRICS,
    TAGK,
    TAGV
  }

  /** Names of one kind that start with {@code prefix}, sorted, at most {@code max}. */
  public record Suggest(NameKind kind, String prefix, int max, ActorRef<Names> replyTo)
      implements Command {}

  /** Sorted distinct names, the answer to {@link Suggest}. */
  public record Names(List<String> names) implements CborSerializable {}

  /**
   * Series whose metric is {@code metric} (null: any) and that carry every tag pair; a null key or
   * value in a pair matches any (OpenTSDB's {@code *} in {@code /api/search/lookup}).
   */
  public record Lookup(String metric, List<TagPair> tags, int limit, ActorRef<Keys> replyTo)
      implements Command {}

  /** A tag key and value of a {@link Lookup}; null stands for any. */
  public record TagPair(String key, String value) implements CborSerializable {}

  /** Series keys, the answer to {@link Lookup}. */
  public record Keys(List<SeriesKey> keys) implements CborSerializable {}

  /**
   * The latest sample at or after {@code sinceMs} of each series of {@code metric} that passes the
   * filters (OpenTSDB's {@code /api/query/last}).
   */
  public record Last(
      String metric, List<TagFilter> filters, long sinceMs, ActorRef<LastSamples> replyTo)
      implements Command {}

  /**
   * The latest sample of each matching series, as one-sample runs; the answer to {@link Last}.
   * Where the latest sample is only in the chunk table, the run is empty, {@code storedIds[i]} is
   * the series' id and {@code storedAt[i]} the sample's timestamp (else -1 and 0). {@code refused}
   * as in {@link Selected}.
   */
  public record LastSamples(
      List<SeriesSamples> series, long[] storedIds, long[] storedAt, String refused)
      implements CborSerializable {

    public LastSamples(List<SeriesSamples> series, long[] storedIds, long[] storedAt) {
      this(series, storedIds, storedAt, null);
    }

    static LastSamples refusal(String reason) {
      return new LastSamples(List.of(), new long[0], new long[0], reason);
    }
  }

  /** Asks how many series the group holds and how much memory their heads take. */
  public record Stats(ActorRef<GroupStats> replyTo) implements Command {}

  /**
   * A group's figures: series in its index, series with samples in the head, approximate head
   * bytes, and sealed chunks awaiting their write to the chunk table.
   */
  public record GroupStats(long series, long activeSeries, long headBytes, long pendingChunks)
      implements CborSerializable {}

  /** The group's own timer: seal due chunks, write pending ones, expire series past retention. */
  public enum SealTick implements Command {
    INSTANCE
  }

  /** The outcome of writing pending chunks to the chunk table ({@code failure} null: written). */
  public record ChunksWritten(long[] seqs, String failure) implements Command {}

  /** What a series group persists. */
  public sealed interface Event extends CborSerializable
      permits SamplesWritten, ChunksSealed, PartsSealed, ChunksStored, SeriesExpired {}

  /** A series first written by a {@link SamplesWritten}, with the id the group gave it. */
  public record NewSeries(long id, SeriesKey key) implements CborSerializable {}

  /**
   * One or more appends' samples for this group: series {@code ids[i]} got {@code counts[i]}
   * samples, the next ones of {@code timestamps}/{@code values} (sorted, one per timestamp within a
   * series' run). Series are referred to by id; those new to the group are defined in {@code
   * created}, so an event carries each key once in the group's life, not with every sample.
   *
   * <p>{@code at} is when the group wrote the event (its clock, epoch ms): a past window's open
   * chunk is sealed once unwritten for {@code seal-idle}; an event without it reads as 0.
   *
   * <p>Serialized as {@code {created, samples, at}} with the samples as one {@link SampleBlock}
   * byte string (about a third of the size of four CBOR arrays); an event of the earlier form, with
   * the four arrays as properties of their own, still reads.
   */
  @JsonIgnoreProperties(
      value = {"ids", "counts", "timestamps", "values"},
      allowSetters = true)
  public record SamplesWritten(
      List<NewSeries> created,
      long[] ids,
      int[] counts,
      long[] timestamps,
      double[] values,
      long at)
      implements Event {

    @JsonCreator
    static SamplesWritten fromJson(
        @JsonProperty("created") List<NewSeries> created,
        @JsonProperty("samples") byte[] samples,
        @JsonProperty("ids") long[] ids,
        @JsonProperty("counts") int[] counts,
        @JsonProperty("timestamps") long[] timestamps,
        @JsonProperty("values") double[] values,
        @JsonProperty("at") long at) {
      List<NewSeries> news = created == null ? List.of() : created;
      if (samples == null) {
        return new SamplesWritten(news, ids, counts, timestamps, values, at);
      }
      SampleBlock.Samples block = SampleBlock.decode(samples);
      return new SamplesWritten(
          news, block.ids(), block.counts(), block.timestamps(), block.values(), at);
    }

    /** The samples as the journal holds them. */
    @JsonProperty("samples")
    byte[] samples() {
      return SampleBlock.encode(ids, counts, timestamps, values);
    }
  }

  /** A window of a series' head that was sealed into a pending chunk. */
  public record SealedWindow(long seriesId, long window) implements CborSerializable {}

  /** Windows sealed into pending chunks, which get consecutive seqs in this order. */
  public record ChunksSealed(List<SealedWindow> windows) implements Event {}

  /**
   * The closed parts of these series but the newest {@code keep} (the {@code head-parts} setting
   * when the group wrote the event, so that a replay under another setting does the same) were
   * sealed into pending chunks, one each, in this order of series and, within a series, of parts.
   */
  public record PartsSealed(long[] ids, int keep) implements Event {}

  /** Pending chunks written to the chunk table: the head drops them. */
  public record ChunksStored(long[] seqs) implements Event {}

  /** Series with no sample within retention left: the index forgets them. */
  public record SeriesExpired(long[] ids) implements Event {}

  /** Most chunks one write to the chunk table carries; the rest go in the next round. */
  static final int MAX_CHUNKS_PER_WRITE = 2000;

  /**
   * Most windows one seal look seals. When every series of a group crosses a window boundary at
   * once (every 2 h under a steady load), sealing them all in one message kept the group from its
   * appends for seconds (writes answered 503 after the ask timeout); beyond this many, the rest are
   * sealed by further looks, each queued behind the commands that arrived meanwhile.
   */
  static final int MAX_WINDOWS_PER_SEAL = 1000;

  private final ActorContext<Command> context;
  private final String tenant;
  private final int group;
  private final SeriesSettings settings;
  private final StorageSettings storage;
  private final ChunkStore chunkStore;
  private final Clock clock;
  private final long windowMs;
  private final long retentionMs;
  private final long seriesCap;
  private final String entityId;

  /** Where the round trips of this group's journal writes are recorded. */
  private final DistributionDataPoint journalWrites;

  /** Where this group reports its series count (meridian_series) when it changes. */
  private final SeriesCensus census;

  /** The series count last reported to the census (-1: none yet). */
  private long reportedSeries = -1;

  /**
   * Whether a write of pending chunks is in flight (not state: nothing is in flight after a
   * restart).
   */
  private boolean writing;

  /** Events applied since the last snapshot (replayed ones included), and their estimated bytes. */
  private long tailEvents;

  private long tailBytes;

  /** The tail's bytes at which to estimate the snapshot's size again (0: at the first event). */
  private long recheckAt;

  /** Sequence number of this incarnation's previous snapshot (0: none yet). */
  private long previousSnapshot;

  /**
   * The series that {@link #onAppend} found for the runs of the event it persists (null for series
   * new to the group), kept until {@link #applyWritten} applies that very event, which Pekko does
   * right after the command handler: the runs' ids need not be looked up again. A replayed event,
   * or any other, finds its series by id; so does a series of another state than the one applied to
   * ({@link GroupState.Series#owner}, as for attachments).
   */
  private SamplesWritten foundFor;

  private GroupState.Series[] found;

  /** What each event does to the state (built once, on the first event). */
  private EventHandler<GroupState, Event> applier;

  /** Registers the entity type with Cluster Sharding on this node. */
  public static void init(
      ActorSystem<?> system,
      SeriesSettings settings,
      StorageSettings storage,
      ChunkStore chunkStore) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_KEY,
                ctx ->
                    create(ctx.getEntityId(), settings, storage, chunkStore, Clock.systemUTC())));
  }

  public static Behavior<Command> create(
      String entityId,
      SeriesSettings settings,
      StorageSettings storage,
      ChunkStore chunkStore,
      Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(SealTick.INSTANCE, storage.sealInterval());
                  return new SeriesGroup(ctx, entityId, settings, storage, chunkStore, clock);
                }));
  }

  private SeriesGroup(
      ActorContext<Command> context,
      String entityId,
      SeriesSettings settings,
      StorageSettings storage,
      ChunkStore chunkStore,
      Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), entityId), JournalFailures.restartWithBackoff());
    this.context = context;
    this.tenant = entityId.substring(0, entityId.lastIndexOf('-'));
    this.group =
        SeriesStore.groupNumber(entityId)
            .orElseThrow(() -> new IllegalArgumentException("not a series group: " + entityId));
    this.settings = settings;
    this.storage = storage;
    this.chunkStore = chunkStore;
    this.clock = clock;
    this.windowMs = storage.chunkSpan().toMillis();
    this.retentionMs = storage.retentionOf(tenant).toMillis();
    long limit = storage.seriesLimitOf(tenant);
    // Each group enforces its share of the project's limit, with headroom for the uneven spread
    // of series over groups (with 100,000 series in 16 groups the fullest holds ~3% above the
    // mean).
    this.seriesCap = limit <= 0 ? 0 : (long) Math.ceil(limit * 1.1 / settings.groups());
    this.entityId = entityId;
    NodeMetrics metrics = NodeMetrics.get(context.getSystem());
    this.journalWrites = metrics.journalWrites();
    this.census = metrics.series();
  }

  @Override
  public GroupState emptyState() {
    return new GroupState();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, GroupState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Append.class, this::onAppend)
        .onCommand(
            Select.class,
            (state, c) ->
                Effect().reply(c.replyTo(), guarded(() -> select(state, c), Selected::refusal)))
        .onCommand(
            SelectMatching.class,
            (state, c) ->
                Effect()
                    .reply(c.replyTo(), guarded(() -> selectMatching(state, c), Matched::refusal)))
        .onCommand(Suggest.class, (state, c) -> Effect().reply(c.replyTo(), suggest(state, c)))
        .onCommand(Lookup.class, (state, c) -> Effect().reply(c.replyTo(), lookup(state, c)))
        .onCommand(
            Last.class,
            (state, c) ->
                Effect().reply(c.replyTo(), guarded(() -> last(state, c), LastSamples::refusal)))
        .onCommand(Stats.class, (state, c) -> Effect().reply(c.replyTo(), stats(state)))
        .onCommand(SealTick.class, (state, c) -> onSealTick(state))
        .onCommand(ChunksWritten.class, this::onChunksWritten)
        .build();
  }

  // --- writes ---

  private ReplyEffect<Event, GroupState> onAppend(GroupState state, Append command) {
    long cutoff = retentionMs > 0 ? clock.millis() - retentionMs : Long.MIN_VALUE;
    int total = 0;
    for (SeriesSamples series : command.batch()) {
      total += series.size();
    }
    List<NewSeries> created = new ArrayList<>();
    Map<SeriesKey, Long> newIds = new HashMap<>();
    long nextId = state.nextSeriesId();
    long seriesCount = state.size();
    long[] ids = new long[command.batch().size()];
    int[] counts = new int[ids.length];
    GroupState.Series[] runSeries = new GroupState.Series[ids.length];
    long[] timestamps = new long[total];
    double[] values = new double[total];
    int runs = 0;
    int samples = 0;
    List<Rejection> rejections = new ArrayList<>();
    for (int i = 0; i < command.batch().size(); i++) {
      SeriesSamples series = command.batch().get(i);
      if (series.size() == 0) {
        continue;
      }
      Chunk chunk = Chunk.sorted(series.timestamps(), series.values());
      int from = chunk.lowerBound(cutoff);
      if (from > 0) {
        rejections.add(new Rejection(i, from, olderThanRetention()));
      }
      if (from == chunk.size()) {
        continue;
      }
      GroupState.Series known = state.get(series.key());
      Long id = known != null ? Long.valueOf(known.id) : newIds.get(series.key());
      if (id == null) {
        if (seriesCap > 0 && seriesCount >= seriesCap) {
          rejections.add(new Rejection(i, chunk.size() - from, seriesLimitReached()));
          continue;
        }
        id = nextId++;
        newIds.put(series.key(), id);
        created.add(new NewSeries(id, series.key()));
        seriesCount++;
      }
      int n = chunk.size() - from;
      runSeries[runs] = known;
      ids[runs] = id;
      counts[runs++] = n;
      System.arraycopy(chunk.timestamps(), from, timestamps, samples, n);
      System.arraycopy(chunk.values(), from, values, samples, n);
      samples += n;
    }
    Appended reply = new Appended(samples, List.copyOf(rejections));
    if (samples == 0) {
      return Effect().reply(command.replyTo(), reply);
    }
    SamplesWritten event =
        new SamplesWritten(
            List.copyOf(created),
            Arrays.copyOf(ids, runs),
            Arrays.copyOf(counts, runs),
            samples == total ? timestamps : Arrays.copyOf(timestamps, samples),
            samples == total ? values : Arrays.copyOf(values, samples),
            clock.millis());
    foundFor = event;
    found = runSeries;
    long persisting = System.nanoTime();
    return Effect()
        .persist(event)
        .thenReply(
            command.replyTo(),
            after -> {
              written(persisting, after);
              return reply;
            });
  }

  private String olderThanRetention() {
    return "older than the retention of project '"
        + tenant
        + "' ("
        + StorageSettings.format(storage.retentionOf(tenant))
        + "): not stored";
  }

  private String seriesLimitReached() {
    return "series limit reached: project '"
        + tenant
        + "' may hold "
        + storage.seriesLimitOf(tenant)
        + " series (meridian.series.series-limit); samples of new series are refused";
  }

  // --- sealing ---

  private ReplyEffect<Event, GroupState> onSealTick(GroupState state) {
    long now = clock.millis();
    long sealDelayMs = storage.sealDelay().toMillis();
    int keep = storage.headParts();
    List<SealedWindow> due = new ArrayList<>();
    List<Long> parted = new ArrayList<>();
    List<Long> expired = new ArrayList<>();
    for (GroupState.Series s : state.series()) {
      if (due.size() + parted.size() >= MAX_WINDOWS_PER_SEAL) {
        break;
      }
      if (s.closed != null && s.closed.size() > keep) {
        parted.add(s.id);
      }
      if (s.open == null && s.closed == null && s.late == null) {
        if (s.pending == null && retentionMs > 0 && s.maxTs < now - retentionMs) {
          expired.add(s.id);
        }
        continue;
      }
      if (GroupState.onlyOpenWindow(s)) {
        // The common case, checked without collecting windows: only the open window.
        if (openDue(s, now, sealDelayMs)) {
          due.add(new SealedWindow(s.id, s.openWindow));
        }
        continue;
      }
      boolean sealAll = s.late != null && s.late.size() >= storage.lateMaxSamples();
      for (long window : GroupState.headWindows(s, windowMs)) {
        boolean dueNow =
            s.open != null && window == s.openWindow
                ? openDue(s, now, sealDelayMs)
                : (window + 1) * windowMs + sealDelayMs <= now;
        if (sealAll || dueNow) {
          due.add(new SealedWindow(s.id, window));
        }
      }
    }
    List<Event> events = new ArrayList<>(3);
    if (!parted.isEmpty()) {
      events.add(new PartsSealed(toArray(parted), keep));
    }
    if (!due.isEmpty()) {
      events.add(new ChunksSealed(List.copyOf(due)));
    }
    if (!expired.isEmpty()) {
      events.add(new SeriesExpired(expired.stream().mapToLong(Long::longValue).toArray()));
    }
    if (events.isEmpty()) {
      writePending(state);
      return Effect().noReply();
    }
    boolean more = due.size() + parted.size() >= MAX_WINDOWS_PER_SEAL;
    long persisting = System.nanoTime();
    return Effect()
        .persist(events)
        .thenRun(
            after -> {
              written(persisting, after);
              writePending(after);
              if (more) {
                context.getSelf().tell(SealTick.INSTANCE);
              }
            })
        .thenNoReply();
  }

  /**
   * Whether a series' open chunk is to be sealed: when full, or when its window ended {@code
   * seal-delay} ago and nothing was written to it for {@code seal-idle}. The second condition
   * matters for windows that are past already while they are written (a backfill, a collector
   * catching up): a window still being written stays open rather than being sealed into a small
   * chunk at every seal interval, and is sealed once, when the writer moves on to a later window
   * (which closes it) or stops.
   */
  private boolean openDue(GroupState.Series s, long now, long sealDelayMs) {
    return GroupState.openWindowCount(s) >= storage.chunkMaxSamples()
        || ((s.openWindow + 1) * windowMs + sealDelayMs <= now
            && s.openWrittenAt + storage.sealIdle().toMillis() <= now);
  }

  /**
   * Records a journal write that began at {@code persisting} (nanoTime) and has just been
   * acknowledged, and the group's series count if the write changed it.
   */
  private void written(long persisting, GroupState after) {
    journalWrites.observe((System.nanoTime() - persisting) / 1e9);
    reportSeries(after);
  }

  private void reportSeries(GroupState state) {
    long series = state.size();
    if (series != reportedSeries) {
      reportedSeries = series;
      census.held(entityId, tenant, series);
    }
  }

  /** Writes pending chunks to the chunk table, one round at a time. */
  private void writePending(GroupState state) {
    if (writing || state.pendingOwners().isEmpty()) {
      return;
    }
    long now = clock.millis();
    Map<Integer, List<StoredChunk>> byTtl = new HashMap<>();
    List<Long> seqs = new ArrayList<>();
    for (Map.Entry<Long, GroupState.Series> e : state.pendingOwners().entrySet()) {
      if (seqs.size() >= MAX_CHUNKS_PER_WRITE) {
        break;
      }
      GroupState.Series s = e.getValue();
      for (GroupState.Pending p : s.pending) {
        if (p.seq() == e.getKey()) {
          XorChunk chunk = p.chunk();
          StoredChunk stored =
              new StoredChunk(
                  tenant,
                  group,
                  StoredChunk.dayOf(chunk.minTimestamp()),
                  s.id,
                  chunk.minTimestamp(),
                  chunk.maxTimestamp(),
                  p.seq(),
                  chunk.count(),
                  chunk.data());
          byTtl
              .computeIfAbsent(ttlSeconds(chunk.maxTimestamp(), now), t -> new ArrayList<>())
              .add(stored);
          seqs.add(p.seq());
        }
      }
    }
    writing = true;
    long[] written = seqs.stream().mapToLong(Long::longValue).toArray();
    CompletableFuture<?>[] writes =
        byTtl.entrySet().stream()
            .map(e -> chunkStore.write(e.getValue(), e.getKey()).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    context.pipeToSelf(
        CompletableFuture.allOf(writes),
        (ok, failure) ->
            new ChunksWritten(written, failure == null ? null : String.valueOf(failure)));
  }

  /**
   * Seconds until a chunk ending at {@code endMs} leaves retention, rounded up to the hour so that
   * a round's chunks share few TTLs; 0 (never expires) without retention.
   */
  private int ttlSeconds(long endMs, long now) {
    if (retentionMs <= 0) {
      return 0;
    }
    long seconds = Math.max(1, (endMs + retentionMs - now) / 1000);
    long hours = (seconds + 3599) / 3600;
    return (int) Math.min(Integer.MAX_VALUE, hours * 3600);
  }

  private ReplyEffect<Event, GroupState> onChunksWritten(GroupState state, ChunksWritten written) {
    writing = false;
    if (written.failure() != null) {
      // The chunks stay pending (and readable from the head); the next tick writes them again.
      context
          .getLog()
          .warn(
              "Writing {} sealed chunks of {} to the chunk table failed, retrying: {}",
              written.seqs().length,
              persistenceId(),
              written.failure());
      return Effect().noReply();
    }
    long persisting = System.nanoTime();
    return Effect()
        .persist(new ChunksStored(written.seqs()))
        .thenRun(
            after -> {
              written(persisting, after);
              writePending(after);
            })
        .thenNoReply();
  }

  // --- reads ---

  /**
   * The answer of a read, or its refusal when a user's regular expression proved too complex to
   * match: thrown out of the command handler, that would stop the entity instead of answering.
   */
  private <R> R guarded(Supplier<R> read, Function<String, R> refusal) {
    try {
      return read.get();
    } catch (RegexTooComplexException e) {
      // A client error, answered 400 and logged by the HTTP layer.
      context.getLog().debug("Read of {} refused: {}", persistenceId(), e.getMessage());
      return refusal.apply(e.getMessage());
    }
  }

  private Selected select(GroupState state, Select query) {
    boolean metricKnown = false;
    List<SeriesSamples> matching = new ArrayList<>();
    List<Long> storedIds = new ArrayList<>();
    StoredSpan span = new StoredSpan(query.startMs(), query.endMs());
    for (GroupState.Series s : state.series()) {
      SeriesKey key = s.key;
      if (!key.metric().equals(query.metric())) {
        continue;
      }
      metricKnown = true;
      if (matches(key, query.filters(), query.explicitTags())) {
        matching.add(
            s.overlaps(query.startMs(), query.endMs())
                ? GroupState.read(s, query.startMs(), query.endMs())
                : new SeriesSamples(key, new long[0], new double[0]));
        storedIds.add(span.add(s) ? s.id : -1L);
      }
    }
    return new Selected(metricKnown, matching, toArray(storedIds), span.fromMs, span.toMs);
  }

  private Matched selectMatching(GroupState state, SelectMatching query) {
    List<LabelMatcher> matchers = query.matchers().stream().map(Matcher::toLabelMatcher).toList();
    List<SeriesSamples> matching = new ArrayList<>();
    List<Long> storedIds = new ArrayList<>();
    StoredSpan span = new StoredSpan(query.startMs(), query.endMs());
    for (GroupState.Series s : state.series()) {
      if (!s.overlaps(query.startMs(), query.endMs()) || !matchesLabels(s.key, matchers)) {
        continue;
      }
      if (query.keysOnly()) {
        matching.add(new SeriesSamples(s.key, new long[0], new double[0]));
        storedIds.add(-1L);
        continue;
      }
      SeriesSamples head = GroupState.read(s, query.startMs(), query.endMs());
      boolean stored = span.add(s);
      if (head.size() > 0 || stored) {
        matching.add(head);
        storedIds.add(stored ? s.id : -1L);
      }
    }
    return new Matched(matching, toArray(storedIds), span.fromMs, span.toMs);
  }

  /** The part of a read's range that the stored chunks of the series read so far cover. */
  private static final class StoredSpan {
    private final long rangeFromMs;
    private final long rangeToMs;
    long fromMs = -1;
    long toMs = -1;

    StoredSpan(long rangeFromMs, long rangeToMs) {
      this.rangeFromMs = rangeFromMs;
      this.rangeToMs = rangeToMs;
    }

    /** Adds a series' stored chunks if they overlap the range; whether they do. */
    boolean add(GroupState.Series s) {
      if (!s.overlapsStored(rangeFromMs, rangeToMs)) {
        return false;
      }
      long from = Math.max(rangeFromMs, s.storedMinTs);
      long to = Math.min(rangeToMs, s.storedMaxTs);
      fromMs = fromMs < 0 ? from : Math.min(fromMs, from);
      toMs = toMs < 0 ? to : Math.max(toMs, to);
      return true;
    }
  }

  private static long[] toArray(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static boolean matchesLabels(SeriesKey key, List<LabelMatcher> matchers) {
    for (LabelMatcher matcher : matchers) {
      String value =
          matcher.name().equals(METRIC_NAME) ? key.metric() : key.tags().get(matcher.name());
      if (!matcher.matches(value)) {
        return false;
      }
    }
    return true;
  }

  private static Names suggest(GroupState state, Suggest query) {
    TreeSet<String> names = new TreeSet<>();
    for (GroupState.Series s : state.series()) {
      switch (query.kind()) {
        case METRICS -> names.add(s.key.metric());
        case TAGK -> names.addAll(s.key.tags().keySet());
        case TAGV -> names.addAll(s.key.tags().values());
      }
    }
    List<String> matching = new ArrayList<>();
    for (String name : names.tailSet(query.prefix())) {
      if (!name.startsWith(query.prefix()) || matching.size() >= query.max()) {
        break;
      }
      matching.add(name);
    }
    return new Names(matching);
  }

  private static Keys lookup(GroupState state, Lookup query) {
    // Sorted before the limit, so that gathering every group's first keys is the global first.
    return new Keys(
        state.series().stream()
            .map(s -> s.key)
            .filter(key -> query.metric() == null || key.metric().equals(query.metric()))
            .filter(key -> carriesAll(key, query.tags()))
            .sorted(Comparator.comparing(SeriesKey::toString))
            .limit(query.limit())
            .toList());
  }

  private static boolean carriesAll(SeriesKey key, List<TagPair> pairs) {
    for (TagPair pair : pairs) {
      boolean found = false;
      for (Map.Entry<String, String> tag : key.tags().entrySet()) {
        if ((pair.key() == null || pair.key().equals(tag.getKey()))
            && (pair.value() == null || pair.value().equals(tag.getValue()))) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static LastSamples last(GroupState state, Last query) {
    List<SeriesSamples> latest = new ArrayList<>();
    List<Long> storedIds = new ArrayList<>();
    List<Long> storedAt = new ArrayList<>();
    for (GroupState.Series s : state.series()) {
      if (!s.key.metric().equals(query.metric())
          || s.maxTs < query.sinceMs()
          || !matches(s.key, query.filters(), false)) {
        continue;
      }
      SeriesSamples head = GroupState.read(s, s.maxTs, s.maxTs);
      latest.add(head);
      storedIds.add(head.size() > 0 ? -1L : s.id);
      storedAt.add(head.size() > 0 ? 0L : s.maxTs);
    }
    return new LastSamples(latest, toArray(storedIds), toArray(storedAt));
  }

  private static GroupStats stats(GroupState state) {
    long active = 0;
    for (GroupState.Series s : state.series()) {
      if (s.hasHead()) {
        active++;
      }
    }
    return new GroupStats(state.size(), active, state.headBytes(), state.pendingOwners().size());
  }

  private static boolean matches(SeriesKey key, List<TagFilter> filters, boolean explicitTags) {
    for (TagFilter filter : filters) {
      String value = key.tags().get(filter.tagk());
      if (value == null || !filter.matches(value)) {
        return false;
      }
    }
    if (explicitTags) {
      Set<String> filtered = new HashSet<>();
      for (TagFilter filter : filters) {
        filtered.add(filter.tagk());
      }
      return filtered.equals(key.tags().keySet());
    }
    return true;
  }

  // --- events, snapshots ---

  @Override
  public EventHandler<GroupState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent(
            (state, event) -> {
              tailEvents++;
              tailBytes += journalBytes(event);
              return apply(state, event);
            });
  }

  /** About how many bytes an event takes in the journal. */
  static long journalBytes(Event event) {
    if (event instanceof SamplesWritten written) {
      long keys = 0;
      for (NewSeries created : written.created()) {
        keys += 16 + created.key().chars();
      }
      return 48 + 3L * written.ids().length + 8L * written.timestamps().length + keys;
    } else if (event instanceof ChunksSealed sealed) {
      return 32 + 6L * sealed.windows().size();
    } else if (event instanceof PartsSealed parts) {
      return 32 + 4L * parts.ids().length;
    } else if (event instanceof ChunksStored stored) {
      return 32 + 4L * stored.seqs().length;
    } else if (event instanceof SeriesExpired expired) {
      return 32 + 4L * expired.ids().length;
    }
    return 32;
  }

  private GroupState apply(GroupState state, Event event) {
    if (applier == null) {
      applier = applier();
    }
    return applier.apply(state, event);
  }

  private EventHandler<GroupState, Event> applier() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(SamplesWritten.class, this::applyWritten)
        .onEvent(
            ChunksSealed.class,
            (state, event) -> {
              for (SealedWindow w : event.windows()) {
                GroupState.Series s = state.byId(w.seriesId());
                if (s != null) {
                  state.seal(s, w.window(), windowMs);
                }
              }
              return state;
            })
        .onEvent(
            PartsSealed.class,
            (state, event) -> {
              for (long id : event.ids()) {
                GroupState.Series s = state.byId(id);
                if (s != null) {
                  state.sealParts(s, event.keep());
                }
              }
              return state;
            })
        .onEvent(
            ChunksStored.class,
            (state, event) -> {
              state.stored(event.seqs());
              return state;
            })
        .onEvent(
            SeriesExpired.class,
            (state, event) -> {
              for (long id : event.ids()) {
                state.remove(id);
              }
              return state;
            })
        .build();
  }

  private GroupState applyWritten(GroupState state, SamplesWritten event) {
    GroupState.Series[] known = event == foundFor ? found : null;
    foundFor = null;
    found = null;
    for (NewSeries created : event.created()) {
      state.create(created.id(), created.key());
    }
    int offset = 0;
    for (int i = 0; i < event.ids().length; i++) {
      GroupState.Series s =
          known != null && known[i] != null && known[i].owner == state
              ? known[i]
              : state.byId(event.ids()[i]);
      int n = event.counts()[i];
      for (int j = offset; j < offset + n; j++) {
        GroupState.append(s, event.timestamps()[j], event.values()[j], windowMs, event.at());
      }
      offset += n;
    }
    return state;
  }

  /**
   * Snapshots are taken when the journal written since the last one holds about {@code
   * snapshot-journal-ratio} times the snapshot's size, or after {@code snapshot-every} events.
   * Pekko's own retention counts events only, and a group's events vary from a few samples (a
   * scrape) to thousands (a remote write), while its snapshot grows with its series: by events
   * alone, a group of many series wrote its whole state every few seconds under load, or a group of
   * few series replayed long tails.
   */
  @Override
  public boolean shouldSnapshot(GroupState state, Event event, long sequenceNr) {
    boolean due = tailEvents >= settings.snapshotEvery();
    if (!due && tailBytes >= recheckAt) {
      // Estimating walks every series: done when the tail reaches the last estimate's threshold,
      // and while the state grows nearly as fast as the tail, again only after a quarter of it
      // more (not at every event).
      long threshold = threshold(state.snapshotBytes());
      due = tailBytes >= threshold;
      recheckAt = due ? threshold : Math.max(threshold, tailBytes + threshold / 4);
    }
    if (due) {
      tailEvents = 0;
      tailBytes = 0;
    }
    return due;
  }

  private long threshold(long snapshotBytes) {
    return Math.max(MIN_TAIL_BYTES, (long) (settings.snapshotJournalRatio() * snapshotBytes));
  }

  /** The tail worth a snapshot however small the state: a snapshot costs a write of its own. */
  static final long MIN_TAIL_BYTES = 64 * 1024;

  /**
   * Once a snapshot is saved, deletes the events and snapshots before the previous one (as Pekko's
   * retention with two snapshots kept would): recovery reads the newest snapshot and the events
   * after it, or, if that snapshot cannot be read, the previous one and the events after that.
   */
  @Override
  public SignalHandler<GroupState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            PostStop.instance(),
            state -> {
              census.released(entityId);
              state.detachAll();
            })
        .onSignal(RecoveryCompleted.instance(), this::reportSeries)
        .onSignal(
            SnapshotCompleted.class,
            (state, completed) -> {
              long saved = completed.metadata().sequenceNr();
              if (previousSnapshot > 0) {
                deleteBefore(previousSnapshot);
              }
              previousSnapshot = saved;
            })
        .onSignal(
            DeleteEventsFailed.class,
            (state, failed) ->
                context
                    .getLog()
                    .warn(
                        "Deleting the events of {} up to {} failed (the next snapshot tries"
                            + " again): {}",
                        persistenceId(),
                        failed.toSequenceNr(),
                        failed.failure().toString()))
        .onSignal(
            DeleteSnapshotsFailed.class,
            (state, failed) ->
                context
                    .getLog()
                    .warn(
                        "Deleting old snapshots of {} failed (the next snapshot tries again): {}",
                        persistenceId(),
                        failed.failure().toString()))
        .build();
  }

  /**
   * Deletes the events up to {@code sequenceNr} and the snapshots before it, through the journal's
   * and snapshot store's plugin protocol, as the behaviour's own retention does; their answers come
   * back to this entity as the DeleteEvents/DeleteSnapshots signals. The plugins are looked up
   * through {@link Persistence}'s plugin registry, which Pekko marks internal: there is no public
   * way to delete from a typed behaviour other than count-based retention.
   */
  private void deleteBefore(long sequenceNr) {
    Persistence persistence = Persistence.get(Adapter.toClassic(context.getSystem()));
    org.apache.pekko.actor.ActorRef self = Adapter.toClassic(context.getSelf());
    persistence
        .journalFor(journalPluginId(), ConfigFactory.empty())
        .tell(new JournalProtocol.DeleteMessagesTo(persistenceId().id(), sequenceNr, self), self);
    persistence
        .snapshotStoreFor(snapshotPluginId(), ConfigFactory.empty())
        .tell(
            new SnapshotProtocol.DeleteSnapshots(
                persistenceId().id(),
                SnapshotSelectionCriteria.create(sequenceNr - 1, Long.MAX_VALUE, 0, 0)),
            self);
  }

  @Override
  public SnapshotAdapter<GroupState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(GroupState state) {
        return state.toSnapshot();
      }

      @Override
      public GroupState fromJournal(Object from) {
        return GroupState.fromSnapshot((GroupSnapshot) from);
      }
    };
  }
}
