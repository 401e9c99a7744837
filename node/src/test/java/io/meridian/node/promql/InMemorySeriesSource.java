package io.meridian.node.promql;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.promql.LabelMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A series source over series held in memory, loaded with Prometheus' test notation ({@code load 5m
 * / name{l="v"} 0+10x10 _ stale}); remembers the selects it answered.
 */
final class InMemorySeriesSource implements SeriesSource {

  /** One select the engine made. */
  record Select(List<LabelMatcher> matchers, long minMs, long maxMs) {}

  /** {@code a+bxn}, {@code a-bxn} or {@code _xn}. */
  private static final Pattern EXPANSION = Pattern.compile("(-?[^+x-]+|_)([+-])?([^x]+)?x(\\d+)");

  private record Stored(Labels labels, long[] timestamps, double[] values) {}

  private final List<Stored> series = new ArrayList<>();
  private final List<Select> selects = new ArrayList<>();

  /**
   * Adds a series, {@code name{label="value",…}}, whose values come every {@code intervalMs} from
   * 0: numbers, {@code Inf}, {@code NaN}, {@code stale}, {@code _} (no sample), {@code a+bxn} or
   * {@code a-bxn} (n+1 values from a in steps of b) and {@code _xn} (n missing).
   */
  InMemorySeriesSource load(long intervalMs, String metric, String values) {
    List<Long> ts = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    long slot = 0;
    for (String token : values.trim().split("\\s+")) {
      Matcher m = EXPANSION.matcher(token);
      if (m.matches()) {
        int n = Integer.parseInt(m.group(4));
        if (m.group(1).equals("_")) {
          slot += n;
          continue;
        }
        double start = parse(m.group(1));
        double step = m.group(3) == null ? 0 : parse(m.group(3));
        if ("-".equals(m.group(2))) {
          step = -step;
        }
        for (int i = 0; i <= n; i++) {
          ts.add(slot++ * intervalMs);
          vs.add(start + i * step);
        }
      } else if (token.equals("_")) {
        slot++;
      } else {
        ts.add(slot++ * intervalMs);
        vs.add(parse(token));
      }
    }
    series.add(
        new Stored(
            Fixtures.labels(metric),
            ts.stream().mapToLong(Long::longValue).toArray(),
            vs.stream().mapToDouble(Double::doubleValue).toArray()));
    return this;
  }

  private static double parse(String token) {
    return switch (token) {
      case "stale" -> SeriesSamples.STALE_NAN;
      case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(token);
    };
  }

  List<Select> selects() {
    return selects;
  }

  @Override
  public CompletionStage<List<SeriesSamples>> select(
      String tenant, List<LabelMatcher> matchers, long minMs, long maxMs) {
    selects.add(new Select(matchers, minMs, maxMs));
    List<SeriesSamples> result = new ArrayList<>();
    for (Stored stored : series) {
      if (!matchers.stream().allMatch(m -> m.matches(stored.labels().get(m.name())))) {
        continue;
      }
      int from = 0;
      while (from < stored.timestamps().length && stored.timestamps()[from] < minMs) {
        from++;
      }
      int to = from;
      while (to < stored.timestamps().length && stored.timestamps()[to] <= maxMs) {
        to++;
      }
      TreeMap<String, String> tags = new TreeMap<>(stored.labels().map());
      String metric = tags.remove(Labels.METRIC_NAME);
      result.add(
          new SeriesSamples(
              new SeriesKey(tenant, metric, tags),
              Arrays.copyOfRange(stored.timestamps(), from, to),
              Arrays.copyOfRange(stored.values(), from, to)));
    }
    return CompletableFuture.completedFuture(result);
  }
}
