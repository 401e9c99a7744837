package io.meridian.node.metrics;

import io.meridian.node.scrape.ScrapeOutcome;
import io.meridian.node.scrape.ScrapeSpec;
import io.meridian.node.scrape.ScrapedSamples;
import io.meridian.node.series.SeriesStore;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.exposition.ExpositionParser;
import io.meridian.protocol.exposition.MetricFamily;
import io.meridian.protocol.exposition.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a node's own metrics in a project of the cluster ({@code internal} by default) every
 * {@code meridian.self-monitoring.interval}, as if Prometheus scraped the node's {@code /metrics}
 * and wrote what it got: the registry is written in the text format, parsed by the scrape code's
 * parser and turned into samples by {@link ScrapedSamples} with {@code job="meridian"} and the
 * node's {@code instance} (counters as {@code _total}, histograms as {@code _bucket{le}}, {@code
 * _sum} and {@code _count}, plus {@code up} and the other per-scrape series; series that vanish get
 * stale markers), then appended through the node's {@link SeriesStore} like any other write.
 *
 * <p>A write that fails (Cassandra down, the project's series limit) loses that snapshot only: it
 * is warned about at most once a minute, the next interval writes again, and nothing else of the
 * node is affected. A write still running when the next is due makes that one skipped.
 */
public final class SelfMonitoring {

  /** The {@code job} label of the stored series. */
  public static final String JOB = "meridian";

  private static final Logger LOG = LoggerFactory.getLogger(SelfMonitoring.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final ActorSystem<?> system;
  private final NodeMetrics metrics;
  private final SeriesStore series;
  private final ScrapeSpec spec;
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private final AtomicInteger unwarnedFailures = new AtomicInteger();
  private volatile Set<SeriesKey> tracked = Set.of();

  private SelfMonitoring(
      ActorSystem<?> system,
      NodeMetrics metrics,
      SeriesStore series,
      SelfMonitoringSettings settings,
      String instance) {
    this.system = system;
    this.metrics = metrics;
    this.series = series;
    int seconds = (int) Math.max(1, settings.interval().toSeconds());
    this.spec =
        new ScrapeSpec(settings.project(), JOB, JOB, JOB, "/metrics", instance, seconds, seconds);
  }

  /**
   * Stores {@code metrics} every interval with {@code instance} as their {@code instance} label,
   * unless self-monitoring is disabled; stops when the node starts shutting down.
   */
  public static void start(
      ActorSystem<?> system,
      NodeMetrics metrics,
      SeriesStore series,
      SelfMonitoringSettings settings,
      String instance) {
    if (!settings.enabled()) {
      return;
    }
    SelfMonitoring monitoring = new SelfMonitoring(system, metrics, series, settings, instance);
    Cancellable ticks =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                settings.interval(),
                settings.interval(),
                monitoring::store,
                system.executionContext());
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceUnbind(),
            "stop-self-monitoring",
            () -> {
              ticks.cancel();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    LOG.info(
        "Storing this node's metrics every {} in project {} as instance {}",
        settings.interval(),
        settings.project(),
        instance);
  }

  /** Stores a snapshot. Never throws: a scheduled task that throws is not run again. */
  private void store() {
    if (!writing.compareAndSet(false, true)) {
      return;
    }
    try {
      if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
        writing.set(false);
        return;
      }
      ScrapedSamples.Batch batch = snapshot();
      series
          .append(spec.tenant(), batch.series())
          .whenComplete(
              (stored, failure) -> {
                writing.set(false);
                if (failure == null) {
                  tracked = batch.tracked();
                } else {
                  failed(failure);
                }
              });
    } catch (RuntimeException e) {
      writing.set(false);
      failed(e);
    }
  }

  /** The samples a scrape of the node's {@code /metrics} would store now. */
  private ScrapedSamples.Batch snapshot() {
    long startMs = System.currentTimeMillis();
    long start = System.nanoTime();
    MetricsExposition.Body body = MetricsExposition.text(metrics);
    ParseResult parsed =
        ExpositionParser.parse(
            new String(body.bytes(), StandardCharsets.UTF_8), body.contentType(), startMs);
    if (parsed instanceof ParseResult.Failed failed) {
      throw new IllegalStateException(
          "the node's own metrics did not parse: " + failed.failReason());
    }
    List<MetricFamily> families = ((ParseResult.Parsed) parsed).families();
    int samples = families.stream().mapToInt(family -> family.samples().size()).sum();
    double seconds = (System.nanoTime() - start) / 1e9;
    return ScrapedSamples.of(
        spec, new ScrapeOutcome.Scraped(families, samples, startMs, seconds), tracked);
  }

  private void failed(Throwable failure) {
    int failures = unwarnedFailures.incrementAndGet();
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      unwarnedFailures.addAndGet(-failures);
      LOG.warn(
          "Storing this node's own metrics in project {} failed ({} time(s) since the last"
              + " warning; warned at most once a minute, retried every interval): {}",
          spec.tenant(),
          failures,
          String.valueOf(failure));
    }
  }
}
