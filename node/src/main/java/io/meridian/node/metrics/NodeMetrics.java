package io.meridian.node.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The self-monitoring metrics of the node running on an actor system: one Prometheus registry per
 * node (never the JVM-global default one, since tests run several nodes in one JVM), holding what
 * the HTTP API, the ingest paths, the series groups and the scrapers record, the per-node figures
 * of Cluster Sharding and the series groups (computed when collected), and the JVM's metrics.
 *
 * <p>Recording costs a lock-free counter increment or histogram observation; the data points of
 * fixed labels (an ingest family, a scrape result) are looked up once by their recorders. {@code
 * /metrics} exposes {@link #scrape()} ({@link MetricsExposition}) and {@link SelfMonitoring} stores
 * it in the internal project. Metric names and labels are documented in {@code docs/monitoring.md}.
 */
public final class NodeMetrics implements Extension {

  /** {@code meridian_samples_ingested_total{family}}: OpenTSDB's {@code /api/put}. */
  public static final String OPENTSDB = "opentsdb";

  /** {@code meridian_samples_ingested_total{family}}: OpenTSDB's telnet-style {@code put}. */
  public static final String TELNET = "telnet";

  /** {@code meridian_samples_ingested_total{family}}: Prometheus remote write. */
  public static final String REMOTE_WRITE = "prometheus";

  /** {@code meridian_samples_ingested_total{family}}: the OpenMetrics jobs' scrapes. */
  public static final String SCRAPE = "scrape";

  private static final ExtensionId<NodeMetrics> ID =
      new ExtensionId<>() {
        @Override
        public NodeMetrics createExtension(ActorSystem<?> system) {
          return new NodeMetrics();
        }
      };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter httpRequests;
  private final Histogram httpDurations;
  private final Counter unavailable;
  private final Counter samplesIngested;
  private final Histogram journalWrites;
  private final Counter scrapes;
  private final CounterDataPoint scrapesOk;
  private final CounterDataPoint scrapesFailed;
  private final Histogram scrapeDurations;
  private final SeriesCensus series = new SeriesCensus();
  private volatile ShardCensus.Counts sharding = ShardCensus.Counts.NONE;

  NodeMetrics() {
    httpRequests =
        Counter.builder()
            .name("meridian_http_requests_total")
            .help("HTTP requests answered, by API family, route template, method and status")
            .labelNames("family", "route", "method", "status")
            .withoutExemplars()
            .register(registry);
    httpDurations =
        Histogram.builder()
            .name("meridian_http_request_duration_seconds")
            .help("Time from receiving an HTTP request to the end of its answer's body")
            .labelNames("family", "route")
            .classicOnly()
            .withoutExemplars()
            .register(registry);
    unavailable =
        Counter.builder()
            .name("meridian_http_unavailable_total")
            .help("HTTP requests answered 503 (Service Unavailable), by cause")
            .labelNames("cause")
            .withoutExemplars()
            .register(registry);
    samplesIngested =
        Counter.builder()
            .name("meridian_samples_ingested_total")
            .help("Samples stored (acknowledged by their series groups), by ingest family")
            .labelNames("family")
            .withoutExemplars()
            .register(registry);
    journalWrites =
        Histogram.builder()
            .name("meridian_journal_write_duration_seconds")
            .help("Journal writes of this node's series groups, from persist to acknowledgement")
            .classicUpperBounds(
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .classicOnly()
            .withoutExemplars()
            .register(registry);
    scrapes =
        Counter.builder()
            .name("meridian_scrapes_total")
            .help("Scrapes of OpenMetrics targets run by this node, by result (ok or failed)")
            .labelNames("result")
            .withoutExemplars()
            .register(registry);
    scrapesOk = scrapes.labelValues("ok");
    scrapesFailed = scrapes.labelValues("failed");
    scrapeDurations =
        Histogram.builder()
            .name("meridian_scrape_duration_seconds")
            .help("Duration of the scrapes of OpenMetrics targets run by this node")
            .classicOnly()
            .withoutExemplars()
            .register(registry);
    GaugeWithCallback.builder()
        .name("meridian_series")
        .help("Series held by the series groups hosted on this node, by project")
        .labelNames("project")
        .callback(gauge -> series.byProject().forEach((project, n) -> gauge.call(n, project)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("meridian_entities")
        .help("Sharded entities running on this node, by entity type")
        .labelNames("type")
        .callback(gauge -> report(sharding.entities(), gauge))
        .register(registry);
    GaugeWithCallback.builder()
        .name("meridian_shards")
        .help("Shards hosted by this node, by entity type")
        .labelNames("type")
        .callback(gauge -> report(sharding.shards(), gauge))
        .register(registry);
    registry.register(JvmCollector.INSTANCE);
  }

  /** The metrics of the node running on {@code system}. */
  public static NodeMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Records an answered HTTP request; {@code route} must be a bounded template. */
  public void httpRequest(
      String family, String route, String method, int status, long durationNanos) {
    httpRequests.labelValues(family, route, method, statusLabel(status)).inc();
    httpDurations.labelValues(family, route).observe(durationNanos / 1e9);
  }

  /** Records a 503 answer; {@code cause} must come from a bounded set. */
  public void unavailable(String cause) {
    unavailable.labelValues(cause).inc();
  }

  /** The counter of samples stored by {@code family}: look it up once and keep it. */
  public CounterDataPoint samplesIngested(String family) {
    return samplesIngested.labelValues(family);
  }

  /** The histogram of journal write round trips, in seconds. */
  public DistributionDataPoint journalWrites() {
    return journalWrites;
  }

  /** Records one scrape of an OpenMetrics target. */
  public void scraped(boolean ok, double durationSeconds) {
    (ok ? scrapesOk : scrapesFailed).inc();
    scrapeDurations.observe(durationSeconds);
  }

  /** The series the series groups on this node hold, which they keep current. */
  public SeriesCensus series() {
    return series;
  }

  /** Replaces the per-node shard and entity counts ({@link ShardCensus} refreshes them). */
  void sharding(ShardCensus.Counts counts) {
    this.sharding = counts;
  }

  ShardCensus.Counts shardingCounts() {
    return sharding;
  }

  /** Every metric of this node and of the JVM, as of now. */
  public MetricSnapshots scrape() {
    return registry.scrape();
  }

  private static void report(Map<String, Integer> counts, GaugeWithCallback.Callback gauge) {
    counts.forEach((type, n) -> gauge.call(n, type));
  }

  private static final String[] STATUS_LABELS = new String[600];

  static {
    for (int i = 0; i < STATUS_LABELS.length; i++) {
      STATUS_LABELS[i] = Integer.toString(i);
    }
  }

  private static String statusLabel(int status) {
    return status >= 0 && status < STATUS_LABELS.length
        ? STATUS_LABELS[status]
        : Integer.toString(status);
  }
}
