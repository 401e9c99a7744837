package io.meridian.ops.prometheus;

import io.meridian.protocol.SeriesSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The data both servers of a side-by-side PromQL comparison hold: 2.5 h of 15 s scrapes ending at a
 * whole minute, with values from a fixed seed so every run compares the same shapes. It mimics what
 * Prometheus scrapes, per target ({@code job}, {@code instance}) with one scrape offset for all its
 * series:
 *
 * <ul>
 *   <li>{@code http_requests_total{method, code}} and {@code process_cpu_seconds_total}: counters
 *       that sometimes reset to about zero (a restarted process);
 *   <li>{@code temperature_celsius{sensor}}: random walks around zero, negative values included;
 *       {@code queue_depth}: a non-negative integer walk; {@code up}: 1, sometimes 0;
 *   <li>{@code request_duration_seconds}: a classic histogram, cumulative {@code _bucket{le}}
 *       including {@code +Inf} (equal to {@code _count}), {@code _sum} and {@code _count};
 *   <li>{@code batch_processed_total} and {@code disk_free_bytes} (job "batch"): gaps of 7 to 15
 *       minutes, longer than the 5 minute lookback;
 *   <li>{@code legacy_sessions} (job "legacy"): series that stop 40 to 100 minutes before the end,
 *       half of them with a stale marker one scrape after their last sample, as Prometheus writes
 *       when a target disappears.
 * </ul>
 */
public final class GeneratedData {

  /** Time between two scrapes of a target. */
  public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);

  /** Time from the first scrape to {@link #endMillis()}. */
  public static final Duration SPAN = Duration.ofMinutes(150);

  /** Time covered by one remote-write request of {@link #batches()}. */
  public static final Duration BATCH_WINDOW = Duration.ofMinutes(10);

  private static final long SEED = 20_261_125L;
  private static final long STEP = SCRAPE_INTERVAL.toMillis();
  private static final List<String> BUCKETS =
      List.of("0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf");

  private final long startMillis;
  private final long endMillis;
  private final List<TimeSeries> series;

  private GeneratedData(long startMillis, long endMillis, List<TimeSeries> series) {
    this.startMillis = startMillis;
    this.endMillis = endMillis;
    this.series = List.copyOf(series);
  }

  /** Data ending at the last whole minute, so it sits in a fresh Prometheus' head block. */
  public static GeneratedData endingNow() {
    long minute = Duration.ofMinutes(1).toMillis();
    return endingAt(System.currentTimeMillis() / minute * minute);
  }

  /** Data whose last scrapes are at most {@code endMillis}, a whole minute. */
  public static GeneratedData endingAt(long endMillis) {
    long startMillis = endMillis - SPAN.toMillis();
    List<TimeSeries> series = new ArrayList<>();
    List<Target> targets =
        List.of(
            new Target("api", "api-0:8080"),
            new Target("api", "api-1:8080"),
            new Target("api", "api-2:8080"),
            new Target("db", "db-0:9187"),
            new Target("db", "db-1:9187"),
            new Target("cache", "cache-0:9121"));
    int index = 0;
    for (Target target : targets) {
      Scrapes scrapes = new Scrapes(startMillis, endMillis, index++);
      SplittableRandom random = new SplittableRandom(SEED + index);
      for (String method : List.of("GET", "POST")) {
        for (String code : List.of("200", "500")) {
          double rate = (method.equals("GET") ? 40 : 8) * (code.equals("200") ? 1 : 0.05);
          series.add(
              counter(
                  target.labels("http_requests_total", "method", method, "code", code),
                  scrapes,
                  random,
                  rate,
                  true));
        }
      }
      series.add(counter(target.labels("process_cpu_seconds_total"), scrapes, random, 0.37, false));
      for (String sensor : List.of("inlet", "outlet")) {
        series.add(
            walk(target.labels("temperature_celsius", "sensor", sensor), scrapes, random, 0.4));
      }
      series.add(queueDepth(target.labels("queue_depth"), scrapes, random));
      series.add(up(target.labels("up"), scrapes, random));
      series.addAll(histogram(target, scrapes, random));
    }
    for (int i = 0; i < 3; i++) {
      Target target = new Target("batch", "batch-" + i + ":9100");
      Scrapes scrapes = new Scrapes(startMillis, endMillis, index++).withGaps(i);
      SplittableRandom random = new SplittableRandom(SEED + index);
      series.add(counter(target.labels("batch_processed_total"), scrapes, random, 3 + i, false));
      series.add(diskFree(target.labels("disk_free_bytes"), scrapes, random));
    }
    for (int i = 0; i < 4; i++) {
      Target target = new Target("legacy", "legacy-" + i + ":7000");
      long stop = endMillis - Duration.ofMinutes(100 - 20L * i).toMillis();
      Scrapes scrapes = new Scrapes(startMillis, stop, index++);
      SplittableRandom random = new SplittableRandom(SEED + index);
      TimeSeries sessions = walk(target.labels("legacy_sessions"), scrapes, random, 2);
      if (i % 2 == 0) {
        List<TimeSeries.Sample> samples = new ArrayList<>(sessions.samples());
        long last = samples.get(samples.size() - 1).timestampMillis();
        samples.add(TimeSeries.Sample.staleMarker(last + STEP));
        sessions = new TimeSeries(sessions.labels(), samples);
      }
      series.add(sessions);
    }
    return new GeneratedData(startMillis, endMillis, series);
  }

  /** All series with all their samples. */
  public List<TimeSeries> series() {
    return series;
  }

  /** Time of the first scrape window, milliseconds since the epoch. */
  public long startMillis() {
    return startMillis;
  }

  /** A whole minute no sample is after: the natural end of a query over the data. */
  public long endMillis() {
    return endMillis;
  }

  /** Samples with a value, that is without the stale markers, which queries never return. */
  public long valueSampleCount() {
    return series.stream()
        .flatMap(s -> s.samples().stream())
        .filter(s -> !SeriesSamples.isStaleMarker(s.value()))
        .count();
  }

  /**
   * The data as remote-write requests in time order: each holds every series' samples of one {@link
   * #BATCH_WINDOW}, oldest window first, as a Prometheus catching up would send it.
   */
  public List<List<TimeSeries>> batches() {
    List<List<TimeSeries>> batches = new ArrayList<>();
    for (long window = startMillis; window <= endMillis; window += BATCH_WINDOW.toMillis()) {
      long from = window;
      long to = window + BATCH_WINDOW.toMillis();
      List<TimeSeries> batch =
          series.stream()
              .map(s -> s.window(from, to))
              .filter(s -> !s.samples().isEmpty())
              .collect(Collectors.toList());
      if (!batch.isEmpty()) {
        batches.add(batch);
      }
    }
    return batches;
  }

  /**
   * An instant query whose value, at {@link #endMillis()}, is the number of series: {@code
   * last_over_time} keeps the metric name, so series of different metrics do not collide.
   */
  public String seriesCountQuery() {
    return "count(last_over_time({__name__=~\".+\"}[4h]))";
  }

  /**
   * An instant query whose value, at {@link #endMillis()}, is {@link #valueSampleCount()}: a sum
   * per metric name, since {@code count_over_time} drops the name and names would collide.
   */
  public String sampleCountQuery() {
    TreeSet<String> names = new TreeSet<>();
    series.forEach(s -> names.add(s.labels().get("__name__")));
    return names.stream()
        .map(name -> "sum(count_over_time(" + name + "[4h]))")
        .collect(Collectors.joining(" + "));
  }

  private static TimeSeries counter(
      Map<String, String> labels,
      Scrapes scrapes,
      SplittableRandom random,
      double perSecond,
      boolean integral) {
    List<TimeSeries.Sample> samples = new ArrayList<>();
    double start = random.nextDouble(0, 1000) * perSecond;
    double value = integral ? Math.floor(start) : start;
    for (long t : scrapes.times()) {
      double increment = perSecond * STEP / 1000.0 * random.nextDouble(0.5, 1.5);
      value += integral ? Math.floor(increment) : increment;
      // A restart about every 100 minutes: the counter starts again from nearly zero.
      if (random.nextInt(400) == 0) {
        value = integral ? Math.floor(increment / 3) : increment / 3;
      }
      samples.add(new TimeSeries.Sample(t, value));
    }
    return TimeSeries.of(labels, samples);
  }

  private static TimeSeries walk(
      Map<String, String> labels, Scrapes scrapes, SplittableRandom random, double stepSize) {
    List<TimeSeries.Sample> samples = new ArrayList<>();
    double value = random.nextDouble(-5, 5);
    for (long t : scrapes.times()) {
      value += random.nextDouble(-stepSize, stepSize);
      samples.add(new TimeSeries.Sample(t, Math.round(value * 1000) / 1000.0));
    }
    return TimeSeries.of(labels, samples);
  }

  private static TimeSeries queueDepth(
      Map<String, String> labels, Scrapes scrapes, SplittableRandom random) {
    List<TimeSeries.Sample> samples = new ArrayList<>();
    int depth = random.nextInt(10);
    for (long t : scrapes.times()) {
      depth = Math.max(0, depth + random.nextInt(-2, 3));
      samples.add(new TimeSeries.Sample(t, depth));
    }
    return TimeSeries.of(labels, samples);
  }

  private static TimeSeries up(
      Map<String, String> labels, Scrapes scrapes, SplittableRandom random) {
    List<TimeSeries.Sample> samples = new ArrayList<>();
    for (long t : scrapes.times()) {
      samples.add(new TimeSeries.Sample(t, random.nextInt(60) == 0 ? 0 : 1));
    }
    return TimeSeries.of(labels, samples);
  }

  private static TimeSeries diskFree(
      Map<String, String> labels, Scrapes scrapes, SplittableRandom random) {
    List<TimeSeries.Sample> samples = new ArrayList<>();
    double bytes = 5e10 + random.nextDouble(0, 1e10);
    for (long t : scrapes.times()) {
      bytes -= random.nextDouble(0, 2e6);
      samples.add(new TimeSeries.Sample(t, Math.floor(bytes)));
    }
    return TimeSeries.of(labels, samples);
  }

  /** Buckets, sum and count from the same observations, so they are always consistent. */
  private static List<TimeSeries> histogram(
      Target target, Scrapes scrapes, SplittableRandom random) {
    Map<String, List<TimeSeries.Sample>> buckets = new LinkedHashMap<>();
    BUCKETS.forEach(le -> buckets.put(le, new ArrayList<>()));
    List<TimeSeries.Sample> sums = new ArrayList<>();
    List<TimeSeries.Sample> counts = new ArrayList<>();
    long[] cumulative = new long[BUCKETS.size()];
    double sum = 0;
    long count = 0;
    for (long t : scrapes.times()) {
      int observations = random.nextInt(5, 25);
      for (int i = 0; i < observations; i++) {
        // Exponential latencies with a mean of 0.3 s.
        double seconds = -0.3 * Math.log(1 - random.nextDouble());
        sum += seconds;
        count++;
        for (int b = 0; b < BUCKETS.size(); b++) {
          if (seconds <= Double.parseDouble(BUCKETS.get(b).replace("+Inf", "Infinity"))) {
            cumulative[b]++;
          }
        }
      }
      for (int b = 0; b < BUCKETS.size(); b++) {
        buckets.get(BUCKETS.get(b)).add(new TimeSeries.Sample(t, cumulative[b]));
      }
      sums.add(new TimeSeries.Sample(t, sum));
      counts.add(new TimeSeries.Sample(t, count));
    }
    List<TimeSeries> series = new ArrayList<>();
    buckets.forEach(
        (le, samples) ->
            series.add(
                TimeSeries.of(
                    target.labels("request_duration_seconds_bucket", "le", le), samples)));
    series.add(TimeSeries.of(target.labels("request_duration_seconds_sum"), sums));
    series.add(TimeSeries.of(target.labels("request_duration_seconds_count"), counts));
    return series;
  }

  /** A scraped target: the labels Prometheus adds to all its series. */
  private record Target(String job, String instance) {

    Map<String, String> labels(String name, String... more) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("__name__", name);
      labels.put("job", job);
      labels.put("instance", instance);
      for (int i = 0; i < more.length; i += 2) {
        labels.put(more[i], more[i + 1]);
      }
      return labels;
    }
  }

  /**
   * The scrape times of one target: every 15 s from its offset after the start (targets are not
   * scraped in the same millisecond, which exercises rate extrapolation) up to the end, except in
   * its gaps.
   */
  private record Scrapes(long startMillis, long endMillis, int target, List<Gap> gaps) {

    Scrapes(long startMillis, long endMillis, int target) {
      this(startMillis, endMillis, target, List.of());
    }

    /** The same scrapes with two gaps of 7 to 15 minutes, placed by {@code variant}. */
    Scrapes withGaps(int variant) {
      long minute = Duration.ofMinutes(1).toMillis();
      long first = startMillis + (30 + 11L * variant) * minute;
      long second = startMillis + (95 + 7L * variant) * minute;
      return new Scrapes(
          startMillis,
          endMillis,
          target,
          List.of(
              new Gap(first, first + (7 + 4L * variant) * minute),
              new Gap(second, second + (15 - 3L * variant) * minute)));
    }

    List<Long> times() {
      long offset = (target * 1_237L) % STEP;
      List<Long> times = new ArrayList<>();
      for (long t = startMillis + offset; t <= endMillis; t += STEP) {
        long time = t;
        if (gaps.stream().noneMatch(gap -> time >= gap.fromMillis() && time < gap.toMillis())) {
          times.add(time);
        }
      }
      return times;
    }
  }

  /** Scrapes in {@code [fromMillis, toMillis)} are missing. */
  private record Gap(long fromMillis, long toMillis) {}
}
