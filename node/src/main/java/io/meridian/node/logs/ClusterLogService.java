package io.meridian.node.logs;

import static io.meridian.node.series.StoreUnavailableException.unlessAnswered;

import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The log streams of the cluster behind {@link LogService}: an append is split by time bucket and
 * each bucket's part persisted by its {@link LogStream} after the tenant's {@link LogIndex} knows
 * the bucket; an excerpt asks the index which buckets hold entries in the range and pages through
 * those streams, a few at a time; long polling waits in this node's {@link LogWaiters}.
 */
public final class ClusterLogService implements LogService {

  private final ClusterSharding sharding;
  private final LogSettings settings;
  private final Executor executor;
  private final ActorRef<LogWaiters.Command> waiters;

  /** Buckets this node has seen in the index, per tenant: appends to them need not ask it. */
  private final Map<String, Set<Long>> knownBuckets = new ConcurrentHashMap<>();

  private ClusterLogService(ActorSystem<?> system, LogSettings settings) {
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.executor = system.executionContext();
    this.waiters =
        system.systemActorOf(
            LogWaiters.create(settings, this::excerpt), "meridianLogWaiters", Props.empty());
  }

  /**
   * Starts the log service of this node: its waiter registry, and the log stream and index entity
   * types.
   */
  public static ClusterLogService start(ActorSystem<?> system, LogSettings settings) {
    ClusterLogService service = new ClusterLogService(system, settings);
    LogStream.init(system, settings, service.waiters);
    LogIndex.init(system, settings);
    return service;
  }

  @Override
  public CompletionStage<Void> append(String tenant, List<LogEntry> entries) {
    TreeMap<Long, List<LogEntry>> byBucket = new TreeMap<>();
    for (LogEntry entry : entries) {
      if (LogStream.State.bytes(entry) > settings.maxAppendBytes()) {
        return CompletableFuture.failedFuture(
            new LogEntryTooLargeException(
                "a log entry may take at most "
                    + settings.maxAppendBytes()
                    + " bytes, one at "
                    + entry.timestampMs()
                    + " takes "
                    + LogStream.State.bytes(entry)));
      }
      byBucket
          .computeIfAbsent(settings.bucketOf(entry.timestampMs()), b -> new ArrayList<>())
          .add(entry);
    }
    Set<Long> known = knownBuckets.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet());
    List<Long> unknown = byBucket.keySet().stream().filter(b -> !known.contains(b)).toList();
    CompletionStage<Void> indexed =
        unknown.isEmpty()
            ? CompletableFuture.completedFuture(null)
            : index(tenant)
                .<LogIndex.BucketsKnown>ask(
                    replyTo -> new LogIndex.AddBuckets(unknown, replyTo), settings.askTimeout())
                .thenAccept(added -> known.addAll(unknown));
    CompletionStage<Void> appended =
        indexed.thenCompose(
            ignored ->
                CompletableFuture.allOf(
                    byBucket.entrySet().stream()
                        .map(part -> appendToBucket(tenant, part.getKey(), part.getValue()))
                        .map(CompletionStage::toCompletableFuture)
                        .toArray(CompletableFuture[]::new)));
    return unlessAnswered(appended, "log append");
  }

  /**
   * Sends one bucket's entries in commands of bounded size, one after the other, so that entries of
   * equal timestamp keep their order of arrival.
   */
  private CompletionStage<Void> appendToBucket(String tenant, long bucket, List<LogEntry> part) {
    EntityRef<LogStream.Command> stream = stream(tenant, bucket);
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (List<LogEntry> command : commands(part, settings.maxAppendBytes())) {
      chain =
          chain.thenCompose(
              ignored ->
                  stream
                      .<LogStream.Appended>ask(
                          replyTo -> new LogStream.Append(command, replyTo), settings.askTimeout())
                      .thenAccept(appended -> {}));
    }
    return chain;
  }

  /** {@code entries} cut into lists of at most about {@code maxBytes} each, in order. */
  static List<List<LogEntry>> commands(List<LogEntry> entries, long maxBytes) {
    List<List<LogEntry>> commands = new ArrayList<>();
    List<LogEntry> current = new ArrayList<>();
    long currentBytes = 0;
    for (LogEntry entry : entries) {
      long size = LogStream.State.bytes(entry);
      if (!current.isEmpty() && currentBytes + size > maxBytes) {
        commands.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(entry);
      currentBytes += size;
    }
    if (!current.isEmpty()) {
      commands.add(current);
    }
    return commands;
  }

  @Override
  public CompletionStage<List<LogEntry>> excerpt(
      String tenant, long fromMs, long toMs, LogFilter filter) {
    if (toMs <= fromMs) {
      return CompletableFuture.completedFuture(List.of());
    }
    CompletionStage<List<LogEntry>> read =
        buckets(tenant, fromMs, toMs)
            .thenCompose(
                buckets ->
                    inOrder(
                        buckets,
                        bucket ->
                            readBucket(
                                stream(tenant, bucket), fromMs, toMs, filter, null, List.of())))
            .thenApply(
                pages -> {
                  List<LogEntry> entries = new ArrayList<>();
                  pages.forEach(entries::addAll);
                  return entries;
                });
    return unlessAnswered(read, "log excerpt");
  }

  /**
   * Pages through one stream; buckets do not overlap, so pages of successive buckets are sorted.
   */
  private CompletionStage<List<LogEntry>> readBucket(
      EntityRef<LogStream.Command> stream,
      long fromMs,
      long toMs,
      LogFilter filter,
      LogStream.Position after,
      List<LogEntry> sofar) {
    return stream
        .<LogStream.Page>ask(
            replyTo ->
                new LogStream.Read(
                    fromMs,
                    toMs,
                    after,
                    filter,
                    settings.readMaxEntries(),
                    settings.readMaxBytes(),
                    replyTo),
            settings.askTimeout())
        .thenCompose(
            page -> {
              List<LogEntry> entries =
                  sofar.isEmpty() ? page.entries() : concat(sofar, page.entries());
              return page.more()
                  ? readBucket(stream, fromMs, toMs, filter, page.resumeAfter(), entries)
                  : CompletableFuture.completedFuture(entries);
            });
  }

  private static List<LogEntry> concat(List<LogEntry> a, List<LogEntry> b) {
    List<LogEntry> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  @Override
  public CompletionStage<List<LogEntry>> awaitExcerpt(
      String tenant, long fromMs, long toMs, LogFilter filter, Duration maxWait) {
    if (toMs <= fromMs) {
      // No entry can ever fall into an empty range: waiting would only hold a waiter slot.
      return CompletableFuture.completedFuture(List.of());
    }
    CompletableFuture<List<LogEntry>> result = new CompletableFuture<>();
    waiters.tell(new LogWaiters.Await(tenant, fromMs, toMs, filter, maxWait, result));
    // The registry completes the future on its own thread: callers continue elsewhere.
    return result.thenApplyAsync(Function.identity(), executor);
  }

  @Override
  public CompletionStage<Void> delete(String tenant, long fromMs, long toMs) {
    if (toMs <= fromMs) {
      return CompletableFuture.completedFuture(null);
    }
    CompletionStage<Void> deleted =
        buckets(tenant, fromMs, toMs)
            .thenCompose(
                buckets ->
                    inOrder(
                        buckets,
                        bucket ->
                            stream(tenant, bucket)
                                .<LogStream.Deleted>ask(
                                    replyTo -> new LogStream.DeleteRange(fromMs, toMs, replyTo),
                                    settings.askTimeout())))
            .thenAccept(deletedPerBucket -> {});
    return unlessAnswered(deleted, "log delete");
  }

  /** The tenant's buckets that may hold entries in {@code (fromMs, toMs]}. */
  private CompletionStage<List<Long>> buckets(String tenant, long fromMs, long toMs) {
    return index(tenant)
        .<LogIndex.Buckets>ask(
            replyTo ->
                new LogIndex.ListBuckets(
                    settings.bucketOf(fromMs), settings.bucketOf(toMs), replyTo),
            settings.askTimeout())
        .thenApply(LogIndex.Buckets::buckets);
  }

  /**
   * Applies {@code operation} to every bucket, at most {@code read-parallelism} at a time, and
   * answers the results in the buckets' order; fails with the first failure.
   */
  private <T> CompletionStage<List<T>> inOrder(
      List<Long> buckets, Function<Long, CompletionStage<T>> operation) {
    int n = buckets.size();
    if (n == 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<T> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      results.add(null);
    }
    CompletableFuture<List<T>> done = new CompletableFuture<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger remaining = new AtomicInteger(n);
    Runnable[] lane = new Runnable[1];
    lane[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= n || done.isDone()) {
            return;
          }
          operation
              .apply(buckets.get(i))
              .whenComplete(
                  (result, failure) -> {
                    if (failure != null) {
                      done.completeExceptionally(failure);
                      return;
                    }
                    synchronized (results) {
                      results.set(i, result);
                    }
                    if (remaining.decrementAndGet() == 0) {
                      synchronized (results) {
                        done.complete(List.copyOf(results));
                      }
                    } else {
                      lane[0].run();
                    }
                  });
        };
    for (int i = 0; i < Math.min(n, settings.readParallelism()); i++) {
      lane[0].run();
    }
    return done;
  }

  private EntityRef<LogStream.Command> stream(String tenant, long bucket) {
    return sharding.entityRefFor(LogStream.ENTITY_KEY, LogStream.entityId(tenant, bucket));
  }

  private EntityRef<LogIndex.Command> index(String tenant) {
    return sharding.entityRefFor(LogIndex.ENTITY_KEY, tenant);
  }
}
