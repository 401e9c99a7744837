package io.meridian.node.scrape;

import io.meridian.node.metrics.NodeMetrics;
import io.meridian.node.series.SamplesRefusedException;
import io.meridian.node.series.SeriesStore;
import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.scrape.TargetHealth;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The scraper of one target (entity id {@link ScrapeSpec#entityId}), sharded with remembered
 * entities so that exactly one node scrapes a target at a time and its scraper restarts on another
 * node when its node leaves or fails.
 *
 * <p>It reads its {@link ScrapeSpec} from the catalog on start and every {@code spec-refresh}, and
 * takes the one each {@link Ensure} brings; scrapes at the spec's interval with a phase fixed by
 * the target (so a scraper that moves keeps its rhythm, and targets of one job spread over the
 * interval as in Prometheus); stores each scrape and then reports the target's health. A target
 * that is gone ({@link Stop}, or no spec) gets stale markers for the series it wrote and its
 * scraper passivates, which also removes it from the remembered entities. A scraper that stops
 * because its shard moves writes nothing: the next owner continues the series.
 */
public final class TargetScraper {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "TargetScraper");

  /** How soon a scraper that has no spec yet asks the catalog again after it did not answer. */
  private static final Duration SPEC_RETRY = Duration.ofSeconds(5);

  /** Messages a scraper accepts; all but {@link Ensure} and {@link Stop} are its own. */
  public sealed interface Command extends CborSerializable
      permits Ensure, Stop, SpecLoaded, RefreshSpec, Tick, Scraped, Retired {}

  /**
   * Starts the scraper if it is not running and gives it its current {@link ScrapeSpec} (its job or
   * server may have changed), or, when {@code spec} is null, makes it read the spec from the
   * catalog. Sent by the target's catalog, which knows the spec, so that its periodic ensuring
   * costs no round trips; no answer.
   */
  public record Ensure(ScrapeSpec spec) implements Command {

    /** Ensure without a spec: the scraper reads it from the catalog. */
    public Ensure() {
      this(null);
    }
  }

  /** Stops the scraper for good (its target was deleted). */
  public record Stop() implements Command {}

  private record SpecLoaded(Optional<ScrapeSpec> spec, Throwable failure) implements Command {}

  private record RefreshSpec() implements Command {}

  private record Tick() implements Command {}

  private record Scraped(
      ScrapeSpec spec, ScrapeOutcome outcome, Set<SeriesKey> tracked, Throwable storeFailure)
      implements Command {}

  private record Retired() implements Command {}

  private TargetScraper() {}

  /** Registers the entity type on this node. */
  public static void init(
      ActorSystem<?> system, ScrapeSettings settings, SeriesStore series, ScrapeService catalog) {
    ScrapeClient client = ScrapeClient.create(system, settings);
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    entity ->
                        create(
                            entity.getEntityId(),
                            entity.getShard(),
                            settings,
                            client,
                            series,
                            catalog))
                .withSettings(
                    ClusterShardingSettings.create(system)
                        .withRememberEntities(true)
                        // Remembered entities in the journal (Cassandra in production): the
                        // default ddata store would need LMDB files on every node.
                        .withRememberEntitiesStoreMode(
                            ClusterShardingSettings.rememberEntitiesStoreModeEventSourced())));
  }

  static Behavior<Command> create(
      String entityId,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ScrapeSettings settings,
      ScrapeClient client,
      SeriesStore series,
      ScrapeService catalog) {
    int bar = entityId.lastIndexOf('|');
    String tenant = entityId.substring(0, Math.max(bar, 0));
    String targetId = entityId.substring(bar + 1);
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  var scraper =
                      new Scraper(
                          tenant, targetId, context, timers, shard, settings, client, series,
                          catalog);
                  // Scrapers that start together (a node starting) refresh at different times.
                  Duration refresh = settings.specRefresh();
                  timers.startTimerWithFixedDelay(
                      "refresh",
                      new RefreshSpec(),
                      refresh.plusMillis(
                          Math.floorMod(
                              (long) entityId.hashCode(), Math.max(1, refresh.toMillis()))),
                      refresh);
                  scraper.loadSpec();
                  return scraper.running(State.EMPTY);
                }));
  }

  /**
   * What a scraper knows between messages.
   *
   * @param spec the last spec read, null before the first
   * @param tracked the series the last scrape wrote with its own time, to mark stale when gone
   * @param inFlight whether a scrape (and storing it) is running
   * @param retiring whether the target is gone and the scraper waits for its last scrape to finish
   * @param reported the health last reported to the catalog, null before the first report
   * @param reportedAtMs when it was reported
   */
  private record State(
      ScrapeSpec spec,
      Set<SeriesKey> tracked,
      boolean inFlight,
      boolean retiring,
      TargetHealth reported,
      long reportedAtMs) {
    static final State EMPTY = new State(null, Set.of(), false, false, null, 0);

    State withSpec(ScrapeSpec newSpec) {
      return new State(newSpec, tracked, inFlight, retiring, reported, reportedAtMs);
    }

    State started() {
      return new State(spec, tracked, true, retiring, reported, reportedAtMs);
    }

    State finished(Set<SeriesKey> newTracked) {
      return new State(spec, newTracked, false, retiring, reported, reportedAtMs);
    }

    State retire() {
      return new State(spec, tracked, inFlight, true, reported, reportedAtMs);
    }

    State reported(TargetHealth health, long atMs) {
      return new State(spec, tracked, inFlight, retiring, health, atMs);
    }
  }

  /** The behaviour of one scraper; its dependencies are fixed, its {@link State} is passed on. */
  private static final class Scraper {
    private final String tenant;
    private final String targetId;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final ScrapeSettings settings;
    private final ScrapeClient client;
    private final SeriesStore series;
    private final ScrapeService catalog;
    private final NodeMetrics metrics;
    private final CounterDataPoint ingested;

    Scraper(
        String tenant,
        String targetId,
        ActorContext<Command> context,
        TimerScheduler<Command> timers,
        ActorRef<ClusterSharding.ShardCommand> shard,
        ScrapeSettings settings,
        ScrapeClient client,
        SeriesStore series,
        ScrapeService catalog) {
      this.tenant = tenant;
      this.targetId = targetId;
      this.context = context;
      this.timers = timers;
      this.shard = shard;
      this.settings = settings;
      this.client = client;
      this.series = series;
      this.catalog = catalog;
      this.metrics = NodeMetrics.get(context.getSystem());
      this.ingested = metrics.samplesIngested(NodeMetrics.SCRAPE);
    }

    void loadSpec() {
      CompletableFuture<Optional<ScrapeSpec>> spec;
      try {
        spec = catalog.spec(tenant, targetId).toCompletableFuture();
      } catch (RuntimeException e) {
        spec = CompletableFuture.failedFuture(e);
      }
      context.pipeToSelf(spec, SpecLoaded::new);
    }

    Behavior<Command> running(State state) {
      return Behaviors.receive(Command.class)
          .onMessage(Ensure.class, m -> onEnsure(state, m))
          .onMessage(RefreshSpec.class, m -> onRefresh(state))
          .onMessage(SpecLoaded.class, m -> onSpecLoaded(state, m))
          .onMessage(Tick.class, m -> onTick(state))
          .onMessage(Scraped.class, m -> onScraped(state, m))
          .onMessage(Stop.class, m -> retire(state))
          .build();
    }

    private Behavior<Command> onEnsure(State state, Ensure ensure) {
      if (ensure.spec() == null) {
        return onRefresh(state);
      }
      return onSpecLoaded(state, new SpecLoaded(Optional.of(ensure.spec()), null));
    }

    private Behavior<Command> onRefresh(State state) {
      if (!state.retiring()) {
        loadSpec();
      }
      return Behaviors.same();
    }

    private Behavior<Command> onSpecLoaded(State state, SpecLoaded loaded) {
      if (state.retiring()) {
        return Behaviors.same();
      }
      if (loaded.failure() != null) {
        context
            .getLog()
            .warn(
                "Reading the scrape spec of target {} failed: {}",
                targetId,
                loaded.failure().toString());
        if (state.spec() == null) {
          timers.startSingleTimer(
              "retry", new RefreshSpec(), min(settings.specRefresh(), SPEC_RETRY));
        }
        return Behaviors.same();
      }
      if (loaded.spec().isEmpty()) {
        context.getLog().info("Target {} of {} is gone; its scraper stops", targetId, tenant);
        return retire(state);
      }
      ScrapeSpec spec = loaded.spec().get();
      if (state.spec() == null || state.spec().intervalSec() != spec.intervalSec()) {
        Duration interval = Duration.ofSeconds(Math.max(1, spec.intervalSec()));
        timers.startTimerAtFixedRate("scrape", new Tick(), offset(interval), interval);
      }
      return running(state.withSpec(spec));
    }

    /**
     * Where in each interval this target is scraped: fixed by its id, so it stays in place when its
     * scraper restarts or moves, and a job's targets spread over the interval.
     */
    private Duration offset(Duration interval) {
      long intervalMs = interval.toMillis();
      long phase =
          Math.floorMod((long) ScrapeSpec.entityId(tenant, targetId).hashCode(), intervalMs);
      long now = System.currentTimeMillis();
      return Duration.ofMillis(Math.floorMod(phase - now, intervalMs));
    }

    private Behavior<Command> onTick(State state) {
      if (state.inFlight() || state.retiring() || state.spec() == null || shuttingDown()) {
        return Behaviors.same();
      }
      ScrapeSpec spec = state.spec();
      Set<SeriesKey> previous = state.tracked();
      context.pipeToSelf(
          client
              .scrape(spec)
              .thenCompose(
                  outcome -> {
                    var batch = ScrapedSamples.of(spec, outcome, previous);
                    return series
                        .append(spec.tenant(), batch.series())
                        .handle(
                            (stored, failure) -> {
                              if (stored != null) {
                                ingested.inc(stored);
                              }
                              return new Scraped(spec, outcome, batch.tracked(), failure);
                            });
                  }),
          (scraped, failure) ->
              failure == null
                  ? scraped
                  : new Scraped(
                      spec,
                      new ScrapeOutcome.Failed(
                          TargetHealth.STORE_FAILED,
                          "storing the samples failed",
                          0,
                          System.currentTimeMillis(),
                          0),
                      previous,
                      failure));
      return running(state.started());
    }

    /**
     * Whether this node is leaving: a scrape now would store into series groups that are being
     * handed off (its samples buffered, delaying the hand-off), and the scraper's next owner takes
     * over at the next tick anyway.
     */
    private boolean shuttingDown() {
      return CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent();
    }

    private Behavior<Command> onScraped(State state, Scraped scraped) {
      metrics.scraped(
          scraped.outcome() instanceof ScrapeOutcome.Scraped && scraped.storeFailure() == null,
          scraped.outcome().durationSeconds());
      TargetHealth health = scraped.outcome().health();
      if (scraped.storeFailure() != null) {
        context
            .getLog()
            .warn(
                "Storing the scrape of target {} failed: {}",
                targetId,
                scraped.storeFailure().toString());
        if (scraped.outcome() instanceof ScrapeOutcome.Scraped) {
          Throwable cause = scraped.storeFailure();
          while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
          }
          // Refused samples (series limit, retention) are the target's to fix, not a retry.
          String reason =
              cause instanceof SamplesRefusedException
                  ? "samples refused: " + cause.getMessage()
                  : "storing the samples failed";
          health = TargetHealth.down(TargetHealth.STORE_FAILED, reason, health.scrapedAtMs());
        }
      }
      State next = state.finished(scraped.tracked());
      // The catalog persists only changes, so unchanged health is reported only now and then
      // (covering a report lost on the way or a catalog that restarted), not after every scrape.
      long now = System.currentTimeMillis();
      if (!health.sameAs(state.reported())
          || now - state.reportedAtMs() >= settings.ensureInterval().toMillis()) {
        catalog.report(tenant, targetId, health);
        next = next.reported(health, now);
      }
      return next.retiring() ? writeStaleMarkers(next) : running(next);
    }

    private Behavior<Command> retire(State state) {
      if (state.retiring()) {
        return Behaviors.same();
      }
      timers.cancelAll();
      State next = state.retire();
      // The last scrape's samples must be stored before the markers that end its series.
      return next.inFlight() ? running(next) : writeStaleMarkers(next);
    }

    private Behavior<Command> writeStaleMarkers(State state) {
      List<SeriesSamples> markers =
          ScrapedSamples.staleMarkers(state.tracked(), System.currentTimeMillis());
      if (markers.isEmpty()) {
        return passivate();
      }
      context.pipeToSelf(
          series.append(tenant, markers),
          (stored, failure) -> {
            if (failure != null) {
              context.getLog().warn("Storing stale markers of target {} failed", targetId, failure);
            }
            return new Retired();
          });
      return Behaviors.receive(Command.class)
          .onMessage(Retired.class, m -> passivate())
          .onAnyMessage(m -> Behaviors.same())
          .build();
    }

    /**
     * Asks the shard to stop this scraper: unlike stopping by itself, passivation also removes it
     * from the remembered entities, so it is not started again elsewhere.
     */
    private Behavior<Command> passivate() {
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
      return Behaviors.receive(Command.class).onAnyMessage(m -> Behaviors.same()).build();
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }
}
