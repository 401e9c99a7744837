package io.meridian.node.scrape;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.exposition.MetricFamily;
import io.meridian.protocol.exposition.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns one scrape into the samples to store, as Prometheus' scrape loop does with {@code
 * honor_labels: false} and {@code honor_timestamps: true}: every series gets the target's {@code
 * job} and {@code instance} labels (its own such labels become {@code exported_job}/{@code
 * exported_instance}), samples without a timestamp get the scrape's start, the per-scrape series
 * {@code up}, {@code scrape_duration_seconds}, {@code scrape_samples_scraped}, {@code
 * scrape_samples_post_metric_relabeling} and {@code scrape_series_added} are added, and series the
 * previous scrape wrote but this one does not get a stale marker. Pure: the scraper keeps the
 * written series between scrapes.
 */
public final class ScrapedSamples {

  static final String JOB = "job";
  static final String INSTANCE = "instance";
  static final String EXPORTED_PREFIX = "exported_";

  static final String UP = "up";
  static final String DURATION = "scrape_duration_seconds";
  static final String SAMPLES_SCRAPED = "scrape_samples_scraped";
  static final String SAMPLES_POST_RELABELING = "scrape_samples_post_metric_relabeling";
  static final String SERIES_ADDED = "scrape_series_added";

  private ScrapedSamples() {}

  /**
   * The samples of one scrape and the series that take part in staleness: those written with the
   * scrape's time (series with explicit timestamps are left alone, as Prometheus does).
   */
  public record Batch(List<SeriesSamples> series, Set<SeriesKey> tracked) {
    public Batch {
      series = List.copyOf(series);
      tracked = Set.copyOf(tracked);
    }
  }

  /**
   * The batch of {@code outcome} for {@code spec}'s target, given the series the previous scrape
   * tracked: those not written again are marked stale at the scrape's start.
   */
  public static Batch of(ScrapeSpec spec, ScrapeOutcome outcome, Set<SeriesKey> previous) {
    long time = outcome.startMs();
    Map<SeriesKey, Points> points = new LinkedHashMap<>();
    Set<SeriesKey> tracked = new HashSet<>();
    int scraped = 0;
    if (outcome instanceof ScrapeOutcome.Scraped ok) {
      scraped = ok.samples();
      for (MetricFamily family : ok.families()) {
        for (Sample sample : family.samples()) {
          SeriesKey key = SeriesKey.of(spec.tenant(), sample.name(), labels(spec, sample.labels()));
          points
              .computeIfAbsent(key, k -> new Points())
              .add(sample.timestampOr(time), sample.value());
          if (sample.timestampMs().isEmpty()) {
            tracked.add(key);
          }
        }
      }
    } else if (outcome instanceof ScrapeOutcome.Failed failed) {
      scraped = failed.samples();
    }
    int written = outcome instanceof ScrapeOutcome.Scraped ? scraped : 0;
    int added = 0;
    for (SeriesKey key : points.keySet()) {
      if (!previous.contains(key)) {
        added++;
      }
    }
    boolean up = outcome instanceof ScrapeOutcome.Scraped;
    report(spec, UP, up ? 1 : 0, time, points, tracked);
    report(spec, DURATION, outcome.durationSeconds(), time, points, tracked);
    report(spec, SAMPLES_SCRAPED, scraped, time, points, tracked);
    report(spec, SAMPLES_POST_RELABELING, written, time, points, tracked);
    report(spec, SERIES_ADDED, added, time, points, tracked);
    for (SeriesKey gone : previous) {
      if (!tracked.contains(gone) && !points.containsKey(gone)) {
        points.computeIfAbsent(gone, k -> new Points()).add(time, SeriesSamples.STALE_NAN);
      }
    }
    List<SeriesSamples> series = new ArrayList<>(points.size());
    points.forEach((key, p) -> series.add(p.toSeries(key)));
    return new Batch(series, tracked);
  }

  /** A stale marker at {@code timeMs} for each series: its target is gone for good. */
  public static List<SeriesSamples> staleMarkers(Set<SeriesKey> series, long timeMs) {
    List<SeriesSamples> markers = new ArrayList<>(series.size());
    for (SeriesKey key : series) {
      markers.add(
          new SeriesSamples(key, new long[] {timeMs}, new double[] {SeriesSamples.STALE_NAN}));
    }
    return markers;
  }

  /** The sample's labels with the target's, renaming clashing ones as Prometheus does. */
  static Map<String, String> labels(ScrapeSpec spec, Map<String, String> exposed) {
    Map<String, String> labels = new TreeMap<>();
    exposed.forEach(
        (name, value) -> {
          if (!value.isEmpty()) {
            labels.put(name, value);
          }
        });
    rename(labels, JOB);
    rename(labels, INSTANCE);
    labels.put(JOB, spec.jobName());
    labels.put(INSTANCE, spec.instance());
    return labels;
  }

  /** Moves a clashing label to exported_<name>, prefixing again while that is taken too. */
  private static void rename(Map<String, String> labels, String name) {
    String value = labels.remove(name);
    if (value == null) {
      return;
    }
    String exported = EXPORTED_PREFIX + name;
    while (labels.containsKey(exported)) {
      exported = EXPORTED_PREFIX + exported;
    }
    labels.put(exported, value);
  }

  private static void report(
      ScrapeSpec spec,
      String metric,
      double value,
      long time,
      Map<SeriesKey, Points> points,
      Set<SeriesKey> tracked) {
    SeriesKey key =
        SeriesKey.of(spec.tenant(), metric, Map.of(JOB, spec.jobName(), INSTANCE, spec.instance()));
    // The target's own series of that name would clash; Prometheus keeps the report's sample.
    Points reported = new Points();
    reported.add(time, value);
    points.put(key, reported);
    tracked.add(key);
  }

  /** The samples of one series in this scrape; a repeated timestamp keeps the first sample. */
  private static final class Points {
    private long[] timestamps = new long[1];
    private double[] values = new double[1];
    private int size;

    void add(long timestamp, double value) {
      for (int i = 0; i < size; i++) {
        if (timestamps[i] == timestamp) {
          return;
        }
      }
      if (size == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      timestamps[size] = timestamp;
      values[size] = value;
      size++;
    }

    SeriesSamples toSeries(SeriesKey key) {
      long[] t = Arrays.copyOf(timestamps, size);
      double[] v = Arrays.copyOf(values, size);
      // Explicit timestamps may come in any order; the store keeps one value per timestamp.
      if (size > 1) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
          order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(t[a], t[b]));
        long[] st = new long[size];
        double[] sv = new double[size];
        for (int i = 0; i < size; i++) {
          st[i] = t[order[i]];
          sv[i] = v[order[i]];
        }
        return new SeriesSamples(key, st, sv);
      }
      return new SeriesSamples(key, t, v);
    }
  }
}
