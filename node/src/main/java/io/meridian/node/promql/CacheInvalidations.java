package io.meridian.node.promql;

import io.meridian.protocol.CborSerializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Keeps every node's {@link RangeResultCache} true to late writes. A write whose oldest sample is
 * older than half the cache's freshness (the other half allows for clocks that differ between
 * nodes) may change steps that some node keeps: this node's cache drops them at once, before the
 * write is answered, and the cluster's caches soon after, through a topic that every node's
 * instance listens on.
 *
 * <p>A backfill writes such samples all the time; per tenant, one message goes out at once and then
 * at most one per {@code interval}, with the oldest timestamp written meanwhile.
 */
public final class CacheInvalidations {

  /** What goes through the topic: drop {@code tenant}'s kept steps from {@code fromMs} on. */
  public record Invalidate(String tenant, long fromMs) implements Command, CborSerializable {}

  /** Messages of the node's invalidations actor. */
  public sealed interface Command permits Invalidate, Publish, Flush {}

  private record Publish(String tenant, long fromMs) implements Command {}

  private record Flush(String tenant) implements Command {}

  static final String TOPIC = "meridian-promql-result-cache";

  private final RangeResultCache cache;
  private final ActorRef<Command> actor;

  private CacheInvalidations(RangeResultCache cache, ActorRef<Command> actor) {
    this.cache = cache;
    this.actor = actor;
  }

  /** Starts this node's instance, listening on the cluster's topic. */
  public static CacheInvalidations start(ActorSystem<?> system, RangeResultCache cache) {
    Duration interval = cache.settings().publishInterval();
    ActorRef<Command> actor =
        system.systemActorOf(
            Behaviors.<Command>setup(
                context ->
                    Behaviors.withTimers(
                        timers -> new Publisher(context, timers, cache, interval))),
            "meridianResultCacheInvalidations",
            Props.empty());
    return new CacheInvalidations(cache, actor);
  }

  /** For the series store: a write of {@code tenant} whose oldest sample is at {@code oldestMs}. */
  public void written(String tenant, long oldestMs) {
    long lateMs = System.currentTimeMillis() - cache.settings().freshness().toMillis() / 2;
    if (oldestMs > lateMs || !cache.settings().enabled()) {
      return;
    }
    cache.invalidate(tenant, oldestMs);
    actor.tell(new Publish(tenant, oldestMs));
  }

  private static final class Publisher extends AbstractBehavior<Command> {

    private final TimerScheduler<Command> timers;
    private final RangeResultCache cache;
    private final Duration interval;
    private final ActorRef<Topic.Command<Invalidate>> topic;

    /** Tenants published within the interval, with the oldest timestamp written since (or none). */
    private final Map<String, Long> quiet = new HashMap<>();

    private Publisher(
        ActorContext<Command> context,
        TimerScheduler<Command> timers,
        RangeResultCache cache,
        Duration interval) {
      super(context);
      this.timers = timers;
      this.cache = cache;
      this.interval = interval;
      this.topic = context.spawn(Topic.create(Invalidate.class, TOPIC), "topic");
      topic.tell(Topic.subscribe(context.getSelf().narrow()));
    }

    @Override
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(Invalidate.class, this::onInvalidate)
          .onMessage(Publish.class, this::onPublish)
          .onMessage(Flush.class, this::onFlush)
          .build();
    }

    private Behavior<Command> onInvalidate(Invalidate invalidate) {
      cache.invalidate(invalidate.tenant(), invalidate.fromMs());
      return this;
    }

    private Behavior<Command> onPublish(Publish publish) {
      if (quiet.containsKey(publish.tenant())) {
        quiet.merge(publish.tenant(), publish.fromMs(), Math::min);
      } else {
        publish(publish.tenant(), publish.fromMs());
      }
      return this;
    }

    private Behavior<Command> onFlush(Flush flush) {
      long pending = quiet.remove(flush.tenant());
      if (pending != Long.MAX_VALUE) {
        publish(flush.tenant(), pending);
      }
      return this;
    }

    private void publish(String tenant, long fromMs) {
      topic.tell(Topic.publish(new Invalidate(tenant, fromMs)));
      quiet.put(tenant, Long.MAX_VALUE);
      timers.startSingleTimer(new Flush(tenant), interval);
    }
  }
}
