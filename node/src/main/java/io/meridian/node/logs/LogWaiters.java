package io.meridian.node.logs;

import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The node's registry of long-polling readers, and its end of the per-tenant append topics.
 *
 * <p>A waiter is registered before its range is first read, so an append that lands between the
 * read and the registration still wakes it. While a tenant has waiters here, the registry listens
 * on the tenant's cluster-wide topic, where every stream announces the time span of each durable
 * append; a waiter whose range overlaps is read again and answered once the read finds entries. A
 * waiter costs a map entry and one timer, however many there are; beyond {@code max-waiters} a
 * request is answered at once with a plain read instead of waiting.
 *
 * <p>The commands never leave the node (they carry futures); only {@link LogsAppended} travels.
 */
public final class LogWaiters extends AbstractBehavior<LogWaiters.Command> {

  /** Reads a range of a tenant's log, as the log service's excerpt does. */
  @FunctionalInterface
  public interface Reader {
    CompletionStage<List<LogEntry>> read(String tenant, long fromMs, long toMs, LogFilter filter);
  }

  /** Messages the registry accepts. */
  public sealed interface Command
      permits Await, Publish, PrepareTopic, Notified, ReadDone, Expired, Settle, Linger {}

  /**
   * Answers {@code result} with the entries in {@code (fromMs, toMs]} that pass the filter as soon
   * as there are any, or with none after {@code maxWait}.
   */
  public record Await(
      String tenant,
      long fromMs,
      long toMs,
      LogFilter filter,
      Duration maxWait,
      CompletableFuture<List<LogEntry>> result)
      implements Command {}

  /** Announces a durable append to the tenant's topic (sent by the node's log streams). */
  public record Publish(LogsAppended appended) implements Command {}

  /** Starts the tenant's topic ahead of the first {@link Publish}. */
  public record PrepareTopic(String tenant) implements Command {}

  /** What a stream announces after each durable append: the batch's tenant and time span. */
  public record LogsAppended(String tenant, long minTimestampMs, long maxTimestampMs)
      implements CborSerializable {}

  private record Notified(LogsAppended appended) implements Command {}

  private record ReadDone(long waiter, List<LogEntry> entries, Throwable failure)
      implements Command {}

  private record Expired(long waiter) implements Command {}

  private record Settle(String tenant) implements Command {}

  private record Linger(String tenant) implements Command {}

  /** A waiting request; mutable, and only ever touched by the registry. */
  private static final class Waiter {
    final long id;
    final Await request;
    boolean reading;
    boolean stale;

    Waiter(long id, Await request) {
      this.id = id;
      this.request = request;
    }

    boolean overlaps(LogsAppended appended) {
      return appended.maxTimestampMs() > request.fromMs()
          && appended.minTimestampMs() <= request.toMs();
    }
  }

  public static Behavior<Command> create(LogSettings settings, Reader reader) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new LogWaiters(ctx, timers, settings, reader)));
  }

  private final TimerScheduler<Command> timers;
  private final LogSettings settings;
  private final Reader reader;
  private final ActorRef<LogsAppended> listener;
  private final Map<Long, Waiter> waiters = new HashMap<>();
  private final Map<String, Map<Long, Waiter>> byTenant = new HashMap<>();
  private final Map<String, ActorRef<Topic.Command<LogsAppended>>> topics = new HashMap<>();
  private final Set<String> subscribed = new HashSet<>();
  private long nextId;

  private LogWaiters(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      LogSettings settings,
      Reader reader) {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.reader = reader;
    this.listener = ctx.messageAdapter(LogsAppended.class, Notified::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Await.class, this::onAwait)
        .onMessage(Publish.class, this::onPublish)
        .onMessage(PrepareTopic.class, this::onPrepareTopic)
        .onMessage(Notified.class, this::onNotified)
        .onMessage(ReadDone.class, this::onReadDone)
        .onMessage(Expired.class, this::onExpired)
        .onMessage(Settle.class, this::onSettle)
        .onMessage(Linger.class, this::onLinger)
        .build();
  }

  private Behavior<Command> onAwait(Await request) {
    if (waiters.size() >= settings.maxWaiters()) {
      reader
          .read(request.tenant(), request.fromMs(), request.toMs(), request.filter())
          .whenComplete(
              (entries, failure) -> {
                if (failure != null) {
                  request.result().completeExceptionally(failure);
                } else {
                  request.result().complete(entries);
                }
              });
      return this;
    }
    Waiter waiter = new Waiter(nextId++, request);
    waiters.put(waiter.id, waiter);
    byTenant.computeIfAbsent(request.tenant(), t -> new LinkedHashMap<>()).put(waiter.id, waiter);
    timers.cancel(new Linger(request.tenant()));
    subscribe(request.tenant());
    timers.startSingleTimer(new Expired(waiter.id), request.maxWait());
    read(waiter);
    return this;
  }

  private Behavior<Command> onPublish(Publish publish) {
    topic(publish.appended().tenant()).tell(Topic.publish(publish.appended()));
    return this;
  }

  private Behavior<Command> onPrepareTopic(PrepareTopic prepare) {
    topic(prepare.tenant());
    return this;
  }

  private Behavior<Command> onNotified(Notified notified) {
    Map<Long, Waiter> ofTenant = byTenant.get(notified.appended().tenant());
    if (ofTenant != null) {
      for (Waiter waiter : ofTenant.values()) {
        if (waiter.overlaps(notified.appended())) {
          read(waiter);
        }
      }
    }
    return this;
  }

  private Behavior<Command> onReadDone(ReadDone done) {
    Waiter waiter = waiters.get(done.waiter());
    if (waiter == null) {
      return this;
    }
    waiter.reading = false;
    if (done.failure() != null) {
      remove(waiter);
      waiter.request.result().completeExceptionally(done.failure());
    } else if (!done.entries().isEmpty()) {
      remove(waiter);
      waiter.request.result().complete(done.entries());
    } else if (waiter.stale) {
      read(waiter);
    }
    return this;
  }

  private Behavior<Command> onExpired(Expired expired) {
    Waiter waiter = waiters.get(expired.waiter());
    if (waiter != null) {
      remove(waiter);
      waiter.request.result().complete(List.of());
    }
    return this;
  }

  private Behavior<Command> onSettle(Settle settle) {
    Map<Long, Waiter> ofTenant = byTenant.get(settle.tenant());
    if (ofTenant != null) {
      ofTenant.values().forEach(this::read);
    }
    return this;
  }

  private Behavior<Command> onLinger(Linger linger) {
    if (!byTenant.containsKey(linger.tenant()) && subscribed.remove(linger.tenant())) {
      topic(linger.tenant()).tell(Topic.unsubscribe(listener));
    }
    return this;
  }

  /**
   * Reads the waiter's range, or marks it to be read again when a read is under way: that read may
   * have been answered before the append that prompted this one.
   */
  private void read(Waiter waiter) {
    if (waiter.reading) {
      waiter.stale = true;
      return;
    }
    waiter.reading = true;
    waiter.stale = false;
    Await request = waiter.request;
    getContext()
        .pipeToSelf(
            reader.read(request.tenant(), request.fromMs(), request.toMs(), request.filter()),
            (entries, failure) -> new ReadDone(waiter.id, entries, failure));
  }

  private void remove(Waiter waiter) {
    waiters.remove(waiter.id);
    timers.cancel(new Expired(waiter.id));
    String tenant = waiter.request.tenant();
    Map<Long, Waiter> ofTenant = byTenant.get(tenant);
    ofTenant.remove(waiter.id);
    if (ofTenant.isEmpty()) {
      byTenant.remove(tenant);
      timers.startSingleTimer(new Linger(tenant), settings.subscriptionLinger());
    }
  }

  /**
   * Listens on the tenant's topic. The subscription takes a moment to spread through the cluster,
   * and appends published meanwhile elsewhere do not reach this node: the waiters are read again
   * once it has settled.
   */
  private void subscribe(String tenant) {
    if (subscribed.add(tenant)) {
      topic(tenant).tell(Topic.subscribe(listener));
      timers.startSingleTimer(new Settle(tenant), settings.subscribeSettle());
    }
  }

  private ActorRef<Topic.Command<LogsAppended>> topic(String tenant) {
    return topics.computeIfAbsent(
        tenant,
        t ->
            getContext()
                .spawn(
                    Topic.create(LogsAppended.class, "meridian-logs-" + t),
                    "topic-" + topics.size()));
  }
}
