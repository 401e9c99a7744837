package io.meridian.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Counters of what the node's APIs received and did, reported by OpenTSDB's {@code /api/stats} (and
 * the telnet {@code stats} command) in OpenTSDB's metric-and-tags form. Cheap to increment from any
 * thread.
 */
public final class ApiStats implements Extension {

  private static final ExtensionId<ApiStats> ID =
      new ExtensionId<>() {
        @Override
        public ApiStats createExtension(ActorSystem<?> system) {
          return new ApiStats();
        }
      };

  /** The counters of the node running on this actor system. */
  public static ApiStats get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** One counter: its OpenTSDB-style metric name, its tags and current value. */
  public record Stat(String metric, SortedMap<String, String> tags, long value) {}

  private record Key(String metric, SortedMap<String, String> tags) {}

  private final Map<Key, LongAdder> counters = new ConcurrentHashMap<>();

  /** Adds {@code delta}; a negative one lets a counter serve as a gauge, such as work in flight. */
  public void add(String metric, Map<String, String> tags, long delta) {
    counters.computeIfAbsent(new Key(metric, new TreeMap<>(tags)), k -> new LongAdder()).add(delta);
  }

  public void increment(String metric, Map<String, String> tags) {
    add(metric, tags, 1);
  }

  /** Every counter, sorted by metric and tags. */
  public List<Stat> snapshot() {
    List<Stat> stats = new ArrayList<>(counters.size());
    counters.forEach((key, adder) -> stats.add(new Stat(key.metric(), key.tags(), adder.sum())));
    stats.sort(Comparator.comparing(Stat::metric).thenComparing(s -> s.tags().toString()));
    return stats;
  }
}
