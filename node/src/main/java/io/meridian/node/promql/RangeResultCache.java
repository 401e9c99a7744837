package io.meridian.node.promql;

import com.typesafe.config.Config;
import io.meridian.protocol.promql.Expr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's cache of range-query results, as VictoriaMetrics' rollup result cache: a dashboard
 * that asks for the same expression every refresh, over a range that moved forward a little, has
 * the steps it asked for before answered from memory and only the new ones computed.
 *
 * <p>Each step of a range query is evaluated on its own from the samples at or before it (the
 * engine's results are the same whether a range is computed at once or in parts), so a step's
 * answer only changes when a sample at or before it is written later. Steps older than {@code
 * freshness} at the time of the query are kept; newer ones are always computed. A write of a sample
 * older than that ({@link #invalidate}: backfill, a collector catching up) drops the kept steps at
 * and after it for its tenant on every node ({@link CacheInvalidations}). Entries are kept per
 * tenant, expression, step and step phase ({@code start mod step}), at most {@code maxAge}, and by
 * least recent use within {@code maxBytes}.
 *
 * <p>Expressions whose steps may read samples after them are never cached: {@code @} modifiers
 * ({@code start()}, {@code end()} or a fixed time) and negative offsets.
 *
 * <p>Thread-safety: all methods are synchronized; they only move references and copy arrays.
 */
public final class RangeResultCache {

  /**
   * {@code meridian.promql.result-cache}; {@code publishInterval} is how often {@link
   * CacheInvalidations} announces a tenant's late writes at most.
   */
  public record Settings(
      boolean enabled,
      long maxBytes,
      Duration freshness,
      Duration maxAge,
      Duration publishInterval) {

    public static Settings fromConfig(Config config) {
      Config c = config.getConfig("meridian.promql.result-cache");
      return new Settings(
          c.getBoolean("enabled"),
          c.getBytes("max-bytes"),
          c.getDuration("freshness"),
          c.getDuration("max-age"),
          c.getDuration("publish-interval"));
    }
  }

  /** The kept series from the query's start to {@code toMs} (on the grid). */
  record Hit(long toMs, List<Value.Series> series) {}

  private record Key(String tenant, Expr expr, long stepMs, long phaseMs) {}

  private record Entry(
      long fromMs, long toMs, List<Value.Series> series, long bytes, long keptMs) {}

  private final Settings settings;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<String, Long> generations = new HashMap<>();
  private long bytes;
  private long hits;
  private long misses;

  public RangeResultCache(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** Whether the steps of {@code expr} depend only on samples at or before them. */
  public static boolean cacheable(Expr expr) {
    if (expr instanceof Expr.VectorSelector s) {
      return s.at() == null && s.offsetMs() >= 0;
    } else if (expr instanceof Expr.MatrixSelector m) {
      return cacheable(m.selector());
    } else if (expr instanceof Expr.Subquery s) {
      return s.at() == null && s.offsetMs() >= 0 && cacheable(s.expr());
    } else if (expr instanceof Expr.Paren p) {
      return cacheable(p.expr());
    } else if (expr instanceof Expr.Unary u) {
      return cacheable(u.expr());
    } else if (expr instanceof Expr.Binary b) {
      return cacheable(b.lhs()) && cacheable(b.rhs());
    } else if (expr instanceof Expr.Aggregate a) {
      return cacheable(a.expr()) && (a.param() == null || cacheable(a.param()));
    } else if (expr instanceof Expr.Call c) {
      return c.args().stream().allMatch(RangeResultCache::cacheable);
    }
    return true; // literals
  }

  /**
   * How many invalidations {@code tenant} has had; a result computed from reads that began at one
   * generation is only kept if it is still the tenant's generation when the result is put.
   */
  synchronized long generation(String tenant) {
    return generations.getOrDefault(tenant, 0L);
  }

  /**
   * The kept steps of {@code expr} from {@code startMs} on (at most to {@code endMs}), if an entry
   * on this step's grid covers {@code startMs}; null otherwise.
   */
  synchronized Hit get(
      String tenant, Expr expr, long startMs, long endMs, long stepMs, long nowMs) {
    Key key = new Key(tenant, expr, stepMs, Math.floorMod(startMs, stepMs));
    Entry entry = entries.get(key);
    if (entry != null && nowMs - entry.keptMs() > settings.maxAge().toMillis()) {
      remove(key);
      entry = null;
    }
    if (entry == null || startMs < entry.fromMs() || startMs > entry.toMs()) {
      misses++;
      return null;
    }
    hits++;
    long toMs = Math.min(entry.toMs(), lastStep(startMs, endMs, stepMs));
    return new Hit(toMs, slice(entry.series(), startMs, toMs));
  }

  /**
   * Keeps the steps of {@code result} (a query from {@code startMs} to {@code endMs} at {@code
   * stepMs}) that are at least {@code freshness} older than {@code nowMs}, unless {@code tenant}
   * was invalidated since {@code generation}. An entry that already holds earlier steps adjoining
   * them keeps those too.
   */
  synchronized void put(
      String tenant,
      Expr expr,
      long startMs,
      long endMs,
      long stepMs,
      List<Value.Series> result,
      long generation,
      long nowMs) {
    if (generation != generation(tenant)) {
      return;
    }
    long toMs = lastStep(startMs, Math.min(endMs, nowMs - settings.freshness().toMillis()), stepMs);
    if (toMs < startMs) {
      return;
    }
    Key key = new Key(tenant, expr, stepMs, Math.floorMod(startMs, stepMs));
    List<Value.Series> kept = slice(result, startMs, toMs);
    long fromMs = startMs;
    Entry previous = entries.get(key);
    if (previous != null
        && previous.fromMs() < startMs
        && previous.toMs() + stepMs >= startMs
        && nowMs - previous.keptMs() <= settings.maxAge().toMillis()) {
      kept = concat(slice(previous.series(), previous.fromMs(), startMs - stepMs), kept);
      fromMs = previous.fromMs();
    }
    long size = bytesOf(kept);
    if (size > settings.maxBytes() / 4) {
      return;
    }
    remove(key);
    entries.put(key, new Entry(fromMs, toMs, kept, size, nowMs));
    bytes += size;
    Iterator<Entry> oldest = entries.values().iterator();
    while (bytes > settings.maxBytes() && oldest.hasNext()) {
      bytes -= oldest.next().bytes();
      oldest.remove();
    }
  }

  /** Drops {@code tenant}'s kept steps at or after {@code fromMs}: a sample there was written. */
  public synchronized void invalidate(String tenant, long fromMs) {
    generations.merge(tenant, 1L, Long::sum);
    List<Map.Entry<Key, Entry>> cut = new ArrayList<>();
    for (Map.Entry<Key, Entry> e : entries.entrySet()) {
      if (e.getKey().tenant().equals(tenant) && e.getValue().toMs() >= fromMs) {
        cut.add(e);
      }
    }
    for (Map.Entry<Key, Entry> e : cut) {
      Entry entry = e.getValue();
      remove(e.getKey());
      long toMs = lastStep(entry.fromMs(), fromMs - 1, e.getKey().stepMs());
      if (toMs >= entry.fromMs()) {
        List<Value.Series> kept = slice(entry.series(), entry.fromMs(), toMs);
        long size = bytesOf(kept);
        entries.put(e.getKey(), new Entry(entry.fromMs(), toMs, kept, size, entry.keptMs()));
        bytes += size;
      }
    }
  }

  /** Entries, bytes, hits and misses so far. */
  public synchronized String stats() {
    return entries.size()
        + " entries, "
        + bytes
        + " bytes, "
        + hits
        + " hits, "
        + misses
        + " misses";
  }

  synchronized long bytes() {
    return bytes;
  }

  private void remove(Key key) {
    Entry removed = entries.remove(key);
    if (removed != null) {
      bytes -= removed.bytes();
    }
  }

  /** The last step of the grid through {@code startMs} at or before {@code limitMs}. */
  static long lastStep(long startMs, long limitMs, long stepMs) {
    return limitMs < startMs ? startMs - stepMs : startMs + (limitMs - startMs) / stepMs * stepMs;
  }

  /** The points of each series within {@code [fromMs, toMs]}; series left empty are dropped. */
  static List<Value.Series> slice(List<Value.Series> series, long fromMs, long toMs) {
    List<Value.Series> out = new ArrayList<>(series.size());
    for (Value.Series one : series) {
      long[] ts = one.timestampsMs();
      int from = lowerBound(ts, fromMs);
      int to = lowerBound(ts, toMs + 1);
      if (from == 0 && to == ts.length) {
        out.add(one);
      } else if (from < to) {
        out.add(
            new Value.Series(
                one.labels(),
                Arrays.copyOfRange(ts, from, to),
                Arrays.copyOfRange(one.values(), from, to)));
      }
    }
    return out;
  }

  /**
   * Each label set's points of {@code earlier} followed by its points of {@code later} (every point
   * of {@code earlier} precedes every point of {@code later}), sorted by labels.
   */
  static List<Value.Series> concat(List<Value.Series> earlier, List<Value.Series> later) {
    if (earlier.isEmpty()) {
      return later;
    }
    if (later.isEmpty()) {
      return earlier;
    }
    Map<Labels, Value.Series> byLabels = new HashMap<>(earlier.size() * 2);
    for (Value.Series one : earlier) {
      byLabels.put(one.labels(), one);
    }
    for (Value.Series one : later) {
      Value.Series first = byLabels.get(one.labels());
      if (first == null) {
        byLabels.put(one.labels(), one);
        continue;
      }
      int n = first.size();
      long[] ts = Arrays.copyOf(first.timestampsMs(), n + one.size());
      double[] values = Arrays.copyOf(first.values(), n + one.size());
      System.arraycopy(one.timestampsMs(), 0, ts, n, one.size());
      System.arraycopy(one.values(), 0, values, n, one.size());
      byLabels.put(one.labels(), new Value.Series(one.labels(), ts, values));
    }
    List<Value.Series> out = new ArrayList<>(byLabels.values());
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  private static int lowerBound(long[] sorted, long value) {
    int index = Arrays.binarySearch(sorted, value);
    return index >= 0 ? index : -index - 1;
  }

  /** An estimate of the heap a kept result takes. */
  private static long bytesOf(List<Value.Series> series) {
    long size = 64;
    for (Value.Series one : series) {
      size += 96 + 16L * one.size();
      for (Map.Entry<String, String> label : one.labels().map().entrySet()) {
        size += 48 + 2L * (label.getKey().length() + label.getValue().length());
      }
    }
    return size;
  }
}
