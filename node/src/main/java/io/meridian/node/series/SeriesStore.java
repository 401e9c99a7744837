package io.meridian.node.series;

import io.meridian.node.promql.Labels;
import io.meridian.node.promql.SeriesSource;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.promql.LabelMatcher;
import io.meridian.protocol.regex.RegexTooComplexException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The node's entry to series data: splits a write batch by series group and asks each group to
 * persist its part, and scatters reads to every group of a tenant and gathers their answers. Works
 * the same wherever in the cluster the groups live.
 *
 * <p>It is also the PromQL engine's {@link SeriesSource}: a series' labels are its tags plus {@code
 * __name__} = its metric.
 */
public final class SeriesStore implements SeriesSource {

  /** The series a read selected, and whether the metric exists at all for the tenant. */
  public record Selection(boolean metricKnown, List<SeriesSamples> series) {}

  private final ClusterSharding sharding;
  private final StorageSettings storage;
  private final ChunkStore chunkStore;
  private final Clock clock;
  private final int groups;
  private final Duration askTimeout;
  private final AppendBatcher appends;
  private final WriteListener listener;

  /**
   * Told of every write once its groups answered: the tenant and its oldest sample's timestamp
   * (whether or not every part was acknowledged: a part that failed may be stored too).
   */
  @FunctionalInterface
  public interface WriteListener {
    void written(String tenant, long oldestMs);
  }

  public SeriesStore(
      ActorSystem<?> system,
      SeriesSettings settings,
      StorageSettings storage,
      ChunkStore chunkStore) {
    this(system, settings, storage, chunkStore, (tenant, oldestMs) -> {});
  }

  public SeriesStore(
      ActorSystem<?> system,
      SeriesSettings settings,
      StorageSettings storage,
      ChunkStore chunkStore,
      WriteListener listener) {
    this.listener = listener;
    this.sharding = ClusterSharding.get(system);
    this.storage = storage;
    this.chunkStore = chunkStore;
    this.clock = Clock.systemUTC();
    this.groups = settings.groups();
    this.askTimeout = settings.askTimeout();
    this.appends =
        new AppendBatcher(
            (tenant, group, batch, timeout) ->
                group(tenant, group)
                    .ask(replyTo -> new SeriesGroup.Append(batch, replyTo), timeout),
            settings.maxAppendBytes(),
            settings.maxInFlightAppends(),
            settings.maxQueuedBytesPerGroup(),
            settings.appendLinger(),
            system.executionContext());
  }

  /** How long a request waits for a group by default before it counts as unavailable. */
  public Duration askTimeout() {
    return askTimeout;
  }

  /** The group a series belongs to; stable across nodes and restarts for a fixed group count. */
  public int groupOf(SeriesKey key) {
    return Math.floorMod(key.hashCode(), groups);
  }

  static String entityId(String tenant, int group) {
    return tenant + "-" + group;
  }

  /** The group number of a series group's entity id ({@code <tenant>-<group>}), if it has one. */
  static OptionalInt groupNumber(String entityId) {
    int dash = entityId.lastIndexOf('-');
    if (dash < 0 || dash == entityId.length() - 1 || entityId.length() - dash > 10) {
      return OptionalInt.empty();
    }
    int number = 0;
    for (int i = dash + 1; i < entityId.length(); i++) {
      char c = entityId.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalInt.empty();
      }
      number = number * 10 + (c - '0');
    }
    return OptionalInt.of(number);
  }

  /**
   * What a write achieved: the samples acknowledged as durable, and the series whose group did not
   * acknowledge (with the first such failure). Those series' samples may or may not be stored;
   * writing them again is safe, a sample rewritten at the same timestamp replaces itself.
   */
  public record AppendResult(
      long acknowledged, Set<SeriesKey> failed, Throwable failure, List<Refused> refused) {

    public AppendResult(long acknowledged, Set<SeriesKey> failed, Throwable failure) {
      this(acknowledged, failed, failure, List.of());
    }

    /** Whether every group answered (refused samples count as answered). */
    public boolean complete() {
      return failed.isEmpty();
    }
  }

  /**
   * Samples of a write that their group refused and did not store: {@code samples} samples of
   * series {@code key}, for {@code reason}. Writing them again is refused again.
   */
  public record Refused(SeriesKey key, int samples, String reason) {}

  /**
   * A write this node is preparing (decoding) and will pass to {@link #append}; see {@link
   * #announceWrite()}. Closing it twice does nothing.
   */
  @FunctionalInterface
  public interface WriteAnnouncement extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Announces a write about to be appended, before the time spent decoding it: writes to a group
   * with nothing in flight from this node (or that just answered) are held, at most {@code
   * meridian.series.append-linger}, until the writes announced before them are appended too, so
   * that concurrent writes share journal events. Close it once {@link #append} returned, or when
   * the write fails before it.
   */
  public WriteAnnouncement announceWrite() {
    return appends.announce();
  }

  /**
   * Persists a batch. Completes normally once every group acknowledged its part, or exceptionally
   * with {@link StoreUnavailableException} if any group did not (groups that did acknowledge keep
   * their samples, so a retry of the whole batch is safe), or with {@link SamplesRefusedException}
   * if a group refused samples (the others are stored).
   */
  public CompletionStage<Long> append(String tenant, List<SeriesSamples> batch) {
    return append(tenant, batch, askTimeout)
        .thenApply(
            result -> {
              if (!result.complete()) {
                throw unavailable("write", result.failure());
              }
              if (!result.refused().isEmpty()) {
                throw new SamplesRefusedException(result.acknowledged(), result.refused());
              }
              return result.acknowledged();
            });
  }

  /**
   * Persists a batch, waiting at most {@code timeout} for each group, and reports per series which
   * parts were not acknowledged instead of failing as a whole. Each group's part goes through this
   * node's {@link AppendBatcher}, combined with other writes to the group that wait meanwhile; a
   * group with too much queued on this node fails its part at once as unavailable.
   */
  public CompletionStage<AppendResult> append(
      String tenant, List<SeriesSamples> batch, Duration timeout) {
    // By group number, each sized for an even share (a remote write spreads over every group).
    @SuppressWarnings("unchecked")
    List<SeriesSamples>[] byGroup = new List[groups];
    int share = batch.size() / groups + batch.size() / (4 * groups) + 4;
    long oldest = Long.MAX_VALUE;
    for (SeriesSamples series : batch) {
      if (!series.key().tenant().equals(tenant)) {
        throw new IllegalArgumentException(
            "series " + series.key() + " is not of tenant " + tenant);
      }
      for (long timestamp : series.timestamps()) {
        oldest = Math.min(oldest, timestamp);
      }
      int group = groupOf(series.key());
      if (byGroup[group] == null) {
        byGroup[group] = new ArrayList<>(share);
      }
      byGroup[group].add(series);
    }
    List<CompletableFuture<AppendResult>> parts = new ArrayList<>(Math.min(groups, batch.size()));
    for (int group = 0; group < groups; group++) {
      if (byGroup[group] != null) {
        parts.add(appends.append(tenant, group, byGroup[group], timeout).toCompletableFuture());
      }
    }
    long oldestMs = oldest;
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, failure) -> {
              if (oldestMs != Long.MAX_VALUE) {
                listener.written(tenant, oldestMs);
              }
            })
        .thenApply(
            ignored -> {
              long acknowledged = 0;
              Set<SeriesKey> failed = new HashSet<>();
              Throwable firstFailure = null;
              List<Refused> refused = new ArrayList<>();
              for (CompletableFuture<AppendResult> part : parts) {
                AppendResult result = part.join();
                acknowledged += result.acknowledged();
                failed.addAll(result.failed());
                refused.addAll(result.refused());
                firstFailure = firstFailure == null ? result.failure() : firstFailure;
              }
              return new AppendResult(
                  acknowledged, Set.copyOf(failed), firstFailure, List.copyOf(refused));
            });
  }

  /**
   * Selects the series of a metric that pass the filters, with samples in the range. Fails with
   * {@link RegexTooComplexException} when a {@code regexp} filter is too complex to match.
   */
  public CompletionStage<Selection> select(
      String tenant,
      String metric,
      List<TagFilter> filters,
      boolean explicitTags,
      long startMs,
      long endMs) {
    long fromMs = retained(tenant, startMs);
    return this.<SeriesGroup.Selected>scatter(
            tenant,
            replyTo ->
                new SeriesGroup.Select(metric, filters, explicitTags, fromMs, endMs, replyTo))
        .thenApply(answers -> unlessRefused(answers, SeriesGroup.Selected::refused))
        .thenCompose(
            answers -> {
              boolean known = false;
              ReadBudget budget = new ReadBudget();
              List<CompletableFuture<List<SeriesSamples>>> parts = new ArrayList<>();
              for (int group = 0; group < answers.size(); group++) {
                SeriesGroup.Selected selected = answers.get(group);
                known |= selected.metricKnown();
                budget.add(selected.series());
                parts.add(
                    withStored(
                        budget,
                        tenant,
                        group,
                        selected.series(),
                        selected.storedIds(),
                        selected.storedFromMs(),
                        selected.storedToMs(),
                        true));
              }
              boolean metricKnown = known;
              return gather(parts).thenApply(series -> new Selection(metricKnown, series));
            });
  }

  /**
   * The series of the tenant whose labels pass every matcher, with their samples in {@code [minMs,
   * maxMs]}; series without samples there are left out. Fails with {@link
   * StoreUnavailableException} when a group does not answer, with {@link RegexTooComplexException}
   * when a matcher's regular expression is too complex to match.
   */
  @Override
  public CompletionStage<List<SeriesSamples>> select(
      String tenant, List<LabelMatcher> matchers, long minMs, long maxMs) {
    long fromMs = retained(tenant, minMs);
    return selectMatching(tenant, matchers, fromMs, maxMs, false)
        .thenCompose(
            answers -> {
              ReadBudget budget = new ReadBudget();
              List<CompletableFuture<List<SeriesSamples>>> parts = new ArrayList<>();
              for (int group = 0; group < answers.size(); group++) {
                SeriesGroup.Matched matched = answers.get(group);
                budget.add(matched.series());
                parts.add(
                    withStored(
                        budget,
                        tenant,
                        group,
                        matched.series(),
                        matched.storedIds(),
                        matched.storedFromMs(),
                        matched.storedToMs(),
                        false));
              }
              return gather(parts);
            });
  }

  /**
   * What one read has loaded so far, against {@code max-read-series} and {@code max-read-samples};
   * group answers and chunk reads complete on different threads.
   */
  private final class ReadBudget {
    private final AtomicLong series = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();

    void add(List<SeriesSamples> answer) {
      long n = 0;
      for (SeriesSamples s : answer) {
        n += s.size();
      }
      if (series.addAndGet(answer.size()) > storage.maxReadSeries()) {
        throw new ReadLimitException(
            "the query selects more than "
                + storage.maxReadSeries()
                + " series (meridian.series.max-read-series): narrow it by metric, tags or labels");
      }
      addSamples(n);
    }

    void addStored(List<StoredChunk> chunks) {
      long n = 0;
      for (StoredChunk chunk : chunks) {
        n += chunk.samples();
      }
      addSamples(n);
    }

    private void addSamples(long n) {
      if (samples.addAndGet(n) > storage.maxReadSamples()) {
        throw new ReadLimitException(
            "the query would load more than "
                + storage.maxReadSamples()
                + " samples (meridian.series.max-read-samples): narrow its time range or series");
      }
    }
  }

  /** The start of a read of {@code tenant}'s data: {@code startMs}, or where retention begins. */
  private long retained(String tenant, long startMs) {
    long retentionMs = storage.retentionOf(tenant).toMillis();
    return retentionMs <= 0 ? startMs : Math.max(startMs, clock.millis() - retentionMs);
  }

  /**
   * The series of one group's answer with the samples of their sealed chunks in {@code [fromMs,
   * toMs]} (the part of the read's range their chunks cover, as the group answered) read from the
   * chunk table and merged under the head's (newer) samples; series left without samples are
   * dropped unless {@code keepEmpty}.
   */
  private CompletableFuture<List<SeriesSamples>> withStored(
      ReadBudget budget,
      String tenant,
      int group,
      List<SeriesSamples> heads,
      long[] storedIds,
      long fromMs,
      long toMs,
      boolean keepEmpty) {
    List<Long> ids = new ArrayList<>();
    for (long id : storedIds) {
      if (id >= 0) {
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(
          keepEmpty ? heads : heads.stream().filter(h -> h.size() > 0).toList());
    }
    return chunkStore
        .read(tenant, group, ids, fromMs, toMs)
        .toCompletableFuture()
        .thenApply(
            chunks -> {
              budget.addStored(chunks);
              Map<Long, List<StoredChunk>> bySeries = new HashMap<>();
              for (StoredChunk chunk : chunks) {
                bySeries.computeIfAbsent(chunk.seriesId(), id -> new ArrayList<>()).add(chunk);
              }
              List<SeriesSamples> merged = new ArrayList<>(heads.size());
              for (int i = 0; i < heads.size(); i++) {
                SeriesSamples head = heads.get(i);
                List<StoredChunk> stored = storedIds[i] < 0 ? null : bySeries.get(storedIds[i]);
                SeriesSamples series =
                    stored == null ? head : StoredReads.merge(head, stored, fromMs, toMs);
                if (keepEmpty || series.size() > 0) {
                  merged.add(series);
                }
              }
              return merged;
            });
  }

  private static CompletableFuture<List<SeriesSamples>> gather(
      List<CompletableFuture<List<SeriesSamples>>> parts) {
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof ReadLimitException limit) {
                  throw limit;
                }
                throw unavailable("read", failure);
              }
              List<SeriesSamples> all = new ArrayList<>();
              parts.forEach(part -> all.addAll(part.join()));
              return all;
            });
  }

  /**
   * The keys of the tenant's series that pass every matcher (no matchers: every series) and have at
   * least one sample in {@code [startMs, endMs]}, sorted by their labels.
   */
  public CompletionStage<List<SeriesKey>> seriesMatching(
      String tenant, List<LabelMatcher> matchers, long startMs, long endMs) {
    return selectMatching(tenant, matchers, startMs, endMs, true)
        .thenApply(
            answers ->
                answers.stream()
                    .flatMap(answer -> answer.series().stream())
                    .map(SeriesSamples::key)
                    .sorted(Comparator.comparing(Labels::of))
                    .toList());
  }

  /**
   * The distinct keys of the series any of the selectors matches (no selectors: every series) with
   * samples in {@code [startMs, endMs]}, sorted by their labels.
   */
  public CompletionStage<List<SeriesKey>> seriesMatchingAny(
      String tenant, List<List<LabelMatcher>> selectors, long startMs, long endMs) {
    if (selectors.isEmpty()) {
      return seriesMatching(tenant, List.of(), startMs, endMs);
    }
    List<CompletableFuture<List<SeriesKey>>> parts = new ArrayList<>();
    for (List<LabelMatcher> matchers : selectors) {
      parts.add(seriesMatching(tenant, matchers, startMs, endMs).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              TreeSet<Labels> seen = new TreeSet<>();
              List<SeriesKey> keys = new ArrayList<>();
              for (CompletableFuture<List<SeriesKey>> part : parts) {
                for (SeriesKey key : part.join()) {
                  if (seen.add(Labels.of(key))) {
                    keys.add(key);
                  }
                }
              }
              keys.sort(Comparator.comparing(Labels::of));
              return keys;
            });
  }

  /**
   * The label names (including {@code __name__}) of the series any selector matches (none: every
   * series) with samples in the range, sorted.
   */
  public CompletionStage<List<String>> labelNames(
      String tenant, List<List<LabelMatcher>> selectors, long startMs, long endMs) {
    return seriesMatchingAny(tenant, selectors, startMs, endMs)
        .thenApply(
            keys -> {
              TreeSet<String> names = new TreeSet<>();
              for (SeriesKey key : keys) {
                names.addAll(Labels.of(key).map().keySet());
              }
              return List.copyOf(names);
            });
  }

  /**
   * The values label {@code name} takes in the series any selector matches (none: every series)
   * with samples in the range, sorted; series without the label contribute nothing.
   */
  public CompletionStage<List<String>> labelValues(
      String tenant, String name, List<List<LabelMatcher>> selectors, long startMs, long endMs) {
    return seriesMatchingAny(tenant, selectors, startMs, endMs)
        .thenApply(
            keys -> {
              TreeSet<String> values = new TreeSet<>();
              for (SeriesKey key : keys) {
                String value = Labels.of(key).get(name);
                if (value != null) {
                  values.add(value);
                }
              }
              return List.copyOf(values);
            });
  }

  private CompletionStage<List<SeriesGroup.Matched>> selectMatching(
      String tenant, List<LabelMatcher> matchers, long startMs, long endMs, boolean keysOnly) {
    List<SeriesGroup.Matcher> wire = SeriesGroup.Matcher.of(matchers);
    return this.<SeriesGroup.Matched>scatter(
            tenant,
            replyTo -> new SeriesGroup.SelectMatching(wire, startMs, endMs, keysOnly, replyTo))
        .thenApply(answers -> unlessRefused(answers, SeriesGroup.Matched::refused));
  }

  /**
   * The groups' answers, or a {@link RegexTooComplexException} with the reason of the first group
   * that refused the read (the group answers a refusal rather than failing, see {@link
   * SeriesGroup}).
   */
  private static <R> List<R> unlessRefused(List<R> answers, Function<R, String> refused) {
    for (R answer : answers) {
      String reason = refused.apply(answer);
      if (reason != null) {
        throw new RegexTooComplexException(reason);
      }
    }
    return answers;
  }

  /** Names of one kind starting with {@code prefix}, sorted, at most {@code max}. */
  public CompletionStage<List<String>> suggest(
      String tenant, SeriesGroup.NameKind kind, String prefix, int max) {
    return this.<SeriesGroup.Names>scatter(
            tenant, replyTo -> new SeriesGroup.Suggest(kind, prefix, max, replyTo))
        .thenApply(
            answers -> {
              TreeSet<String> names = new TreeSet<>();
              answers.forEach(answer -> names.addAll(answer.names()));
              return names.stream().limit(max).toList();
            });
  }

  /** Series keys by metric (null: any) and tag pairs (null key or value: any), sorted. */
  public CompletionStage<List<SeriesKey>> lookup(
      String tenant, String metric, List<SeriesGroup.TagPair> tags, int limit) {
    return this.<SeriesGroup.Keys>scatter(
            tenant, replyTo -> new SeriesGroup.Lookup(metric, tags, limit, replyTo))
        .thenApply(
            answers ->
                answers.stream()
                    .flatMap(answer -> answer.keys().stream())
                    .sorted(Comparator.comparing(SeriesKey::toString))
                    .limit(limit)
                    .toList());
  }

  /**
   * The latest sample at or after {@code sinceMs} of each matching series. Fails with {@link
   * RegexTooComplexException} when a {@code regexp} filter is too complex to match.
   */
  public CompletionStage<List<SeriesSamples>> last(
      String tenant, String metric, List<TagFilter> filters, long sinceMs) {
    long fromMs = retained(tenant, sinceMs);
    return this.<SeriesGroup.LastSamples>scatter(
            tenant, replyTo -> new SeriesGroup.Last(metric, filters, fromMs, replyTo))
        .thenApply(answers -> unlessRefused(answers, SeriesGroup.LastSamples::refused))
        .thenCompose(
            answers -> {
              List<CompletableFuture<List<SeriesSamples>>> parts = new ArrayList<>();
              for (int group = 0; group < answers.size(); group++) {
                SeriesGroup.LastSamples answer = answers.get(group);
                for (int i = 0; i < answer.series().size(); i++) {
                  SeriesSamples head = answer.series().get(i);
                  long at = answer.storedAt()[i];
                  parts.add(
                      answer.storedIds()[i] < 0
                          ? CompletableFuture.completedFuture(List.of(head))
                          : withStored(
                              new ReadBudget(),
                              tenant,
                              group,
                              List.of(head),
                              new long[] {answer.storedIds()[i]},
                              at,
                              at,
                              false));
                }
              }
              return gather(parts)
                  .thenApply(
                      series ->
                          series.stream()
                              .sorted(Comparator.comparing(samples -> samples.key().toString()))
                              .toList());
            });
  }

  /**
   * The tenant's storage figures summed over its groups: series in the index, series with samples
   * in a head, approximate head bytes, and sealed chunks awaiting their write.
   */
  public CompletionStage<SeriesGroup.GroupStats> stats(String tenant) {
    return this.<SeriesGroup.GroupStats>scatter(tenant, SeriesGroup.Stats::new)
        .thenApply(
            answers -> {
              long series = 0;
              long active = 0;
              long bytes = 0;
              long pending = 0;
              for (SeriesGroup.GroupStats answer : answers) {
                series += answer.series();
                active += answer.activeSeries();
                bytes += answer.headBytes();
                pending += answer.pendingChunks();
              }
              return new SeriesGroup.GroupStats(series, active, bytes, pending);
            });
  }

  /** Asks every group of the tenant and gathers the answers, or fails as unavailable. */
  private <R> CompletionStage<List<R>> scatter(
      String tenant, Function<ActorRef<R>, SeriesGroup.Command> command) {
    List<CompletableFuture<R>> answers = new ArrayList<>(groups);
    for (int group = 0; group < groups; group++) {
      answers.add(group(tenant, group).ask(command::apply, askTimeout).toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                throw unavailable("read", failure);
              }
              return answers.stream().map(CompletableFuture::join).toList();
            });
  }

  private EntityRef<SeriesGroup.Command> group(String tenant, int group) {
    return sharding.entityRefFor(SeriesGroup.ENTITY_KEY, entityId(tenant, group));
  }

  private static StoreUnavailableException unavailable(String operation, Throwable failure) {
    return StoreUnavailableException.because("Storage did not complete the " + operation, failure);
  }
}
