package io.meridian.node;

import com.typesafe.config.Config;
import io.meridian.node.annotation.AnnotationService;
import io.meridian.node.annotation.AnnotationSettings;
import io.meridian.node.annotation.AnnotationStore;
import io.meridian.node.auth.AuthService;
import io.meridian.node.auth.AuthSettings;
import io.meridian.node.logs.ClusterLogService;
import io.meridian.node.logs.LogService;
import io.meridian.node.logs.LogSettings;
import io.meridian.node.metrics.NodeMetrics;
import io.meridian.node.metrics.SelfMonitoringSettings;
import io.meridian.node.metrics.ShardCensus;
import io.meridian.node.promql.CacheInvalidations;
import io.meridian.node.promql.EngineSettings;
import io.meridian.node.promql.PromQlEngine;
import io.meridian.node.promql.RangeResultCache;
import io.meridian.node.query.QueryService;
import io.meridian.node.scrape.ClusterScrapeService;
import io.meridian.node.scrape.ConfiguredServers;
import io.meridian.node.scrape.ScrapeService;
import io.meridian.node.scrape.ScrapeSettings;
import io.meridian.node.scrape.TargetScraper;
import io.meridian.node.series.CassandraChunkStore;
import io.meridian.node.series.ChunkStore;
import io.meridian.node.series.GroupWarmup;
import io.meridian.node.series.InMemoryChunkStore;
import io.meridian.node.series.SeriesGroup;
import io.meridian.node.series.SeriesSettings;
import io.meridian.node.series.SeriesStore;
import io.meridian.node.series.StorageSettings;
import io.meridian.node.uid.UidRegistry;
import io.meridian.node.uid.UidService;
import io.meridian.node.uid.UidSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * One Meridian cluster node: joins the cluster, registers the sharded entities and exposes the
 * services the API routes call. {@link #start} is what the application's main and the tests call.
 */
public final class MeridianNode {

  private final ActorSystem<?> system;
  private final String defaultTenant;
  private final SeriesStore series;
  private final UidService uids;
  private final AnnotationService annotations;
  private final QueryService queries;
  private final PromQlEngine promql;
  private final LogService logs;
  private final ScrapeService scrape;
  private final AuthService auth;
  private final NodeMetrics metrics;

  private MeridianNode(
      ActorSystem<?> system,
      SeriesStore series,
      RangeResultCache resultCache,
      UidService uids,
      AnnotationService annotations,
      LogService logs,
      ScrapeService scrape,
      AuthService auth) {
    this.system = system;
    this.defaultTenant = system.settings().config().getString("meridian.default-tenant");
    this.series = series;
    this.uids = uids;
    this.annotations = annotations;
    this.queries = new QueryService(series, uids, annotations);
    this.promql =
        new PromQlEngine(
            series,
            EngineSettings.fromConfig(system.settings().config()),
            resultCache,
            System::currentTimeMillis);
    this.logs = logs;
    this.scrape = scrape;
    this.auth = auth;
    this.metrics = NodeMetrics.get(system);
  }

  /**
   * Starts the node on an actor system configured with {@code provider = cluster}. Without
   * configured seed nodes the node forms a cluster of its own, unless {@code
   * meridian.cluster.bootstrap} says Cluster Bootstrap joins it.
   */
  public static MeridianNode start(ActorSystem<?> system) {
    checkKeyspace(system.settings().config());
    if (!CommonPool.pooled()) {
      system
          .log()
          .warn(
              "ForkJoinPool's common parallelism is 1: every CompletableFuture callback runs on a"
                  + " new thread. Start the JVM with -D{}=2 (bin/meridian does).",
              CommonPool.PARALLELISM);
    }
    Cluster cluster = Cluster.get(system);
    if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()
        && !system.settings().config().getBoolean("meridian.cluster.bootstrap")) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    SeriesSettings settings = SeriesSettings.fromConfig(system.settings().config());
    StorageSettings storage = StorageSettings.fromConfig(system.settings().config());
    ChunkStore chunks =
        storage.chunkStore().equals("memory")
            ? new InMemoryChunkStore()
            : CassandraChunkStore.fromConfig(system);
    SeriesGroup.init(system, settings, storage, chunks);
    UidRegistry.init(system, UidSettings.fromConfig(system.settings().config()));
    AnnotationStore.init(system, AnnotationSettings.fromConfig(system.settings().config()));
    RangeResultCache resultCache =
        new RangeResultCache(RangeResultCache.Settings.fromConfig(system.settings().config()));
    CacheInvalidations invalidations = CacheInvalidations.start(system, resultCache);
    SeriesStore series = new SeriesStore(system, settings, storage, chunks, invalidations::written);
    GroupWarmup.start(
        system,
        settings.groups(),
        settings.askTimeout(),
        system.settings().config().getDuration("meridian.series.warmup-timeout"));
    ScrapeSettings scrapeSettings = ScrapeSettings.fromConfig(system.settings().config());
    ScrapeService scrape =
        ClusterScrapeService.start(
            system, scrapeSettings, ConfiguredServers.fromConfig(system.settings().config()));
    TargetScraper.init(system, scrapeSettings, series, scrape);
    ShardCensus.start(
        system,
        NodeMetrics.get(system),
        SelfMonitoringSettings.fromConfig(system.settings().config()).interval());
    return new MeridianNode(
        system,
        series,
        resultCache,
        new UidService(system, settings.askTimeout()),
        new AnnotationService(system, settings.askTimeout()),
        ClusterLogService.start(system, LogSettings.fromConfig(system.settings().config())),
        scrape,
        AuthService.start(system, AuthSettings.fromConfig(system.settings().config())));
  }

  /**
   * Cassandra keeps keyspace names to 48 characters of {@code [A-Za-z0-9_]}, and snapshots live in
   * {@code <keyspace>_snapshot}; a bad name would otherwise only show as writes timing out.
   */
  private static void checkKeyspace(Config config) {
    if (!config.hasPath("meridian.cassandra.keyspace")) {
      return;
    }
    String keyspace = config.getString("meridian.cassandra.keyspace");
    if (!keyspace.matches("[A-Za-z0-9_]{1,39}")) {
      throw new IllegalArgumentException(
          "meridian.cassandra.keyspace must be 1 to 39 letters, digits or underscores (Cassandra"
              + " allows 48 and the snapshot keyspace adds \"_snapshot\"): "
              + keyspace);
    }
  }

  public ActorSystem<?> system() {
    return system;
  }

  /** The tenant of requests that carry no credentials (development default). */
  public String defaultTenant() {
    return defaultTenant;
  }

  public SeriesStore series() {
    return series;
  }

  /** OpenTSDB unique IDs and TSUIDs, assigned lazily per tenant. */
  public UidService uids() {
    return uids;
  }

  /** OpenTSDB annotations, per tenant. */
  public AnnotationService annotations() {
    return annotations;
  }

  public QueryService queries() {
    return queries;
  }

  /** The PromQL engine over this node's series store. */
  public PromQlEngine promql() {
    return promql;
  }

  /** The log streams of every tenant (the log-excerpt API). */
  public LogService logs() {
    return logs;
  }

  /** The cluster's credentials: verifying them on every request, and changing them. */
  public AuthService auth() {
    return auth;
  }

  /** This node's self-monitoring metrics ({@code /metrics}, the internal project). */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** OpenMetrics jobs, targets and servers of every project, and their scrapers. */
  public ScrapeService scrape() {
    return scrape;
  }
}
