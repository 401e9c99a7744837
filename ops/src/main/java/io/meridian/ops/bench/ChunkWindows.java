package io.meridian.ops.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The acknowledged samples of a benchmark run counted by the node's chunk window they fall in
 * ({@code floor(timestamp / chunk-span)}, as {@code meridian.series.chunk-span} aligns them to the
 * epoch), so that the benchmark knows how many samples the node has sealed into the chunk table by
 * a given time: a window is sealed {@code seal-delay} after it ends, at the node's next look.
 *
 * <p>Senders {@link #add add} from several threads at once.
 */
final class ChunkWindows {

  private final NodeExporterSeries generated;
  private final long spanMs;
  private final long sealDelayMs;
  private final Map<Long, LongAdder> samples = new ConcurrentHashMap<>();

  ChunkWindows(NodeExporterSeries generated, Duration span, Duration sealDelay) {
    if (span.toMillis() < 1 || sealDelay.isNegative()) {
      throw new IllegalArgumentException("chunk span must be positive, seal delay not negative");
    }
    this.generated = generated;
    this.spanMs = span.toMillis();
    this.sealDelayMs = sealDelay.toMillis();
  }

  /** Counts scrapes {@code firstRound … firstRound + rounds - 1} of each of {@code series}. */
  void add(int[] series, long firstRound, int rounds) {
    // Runs of samples in one window are long (a window holds many scrapes, hosts share phases):
    // one map update per run keeps this cheap on the senders' threads.
    long window = Long.MIN_VALUE;
    long run = 0;
    for (int index : series) {
      for (long round = firstRound; round < firstRound + rounds; round++) {
        long w = Math.floorDiv(generated.timestamp(index, round), spanMs);
        if (w != window) {
          flush(window, run);
          window = w;
          run = 0;
        }
        run++;
      }
    }
    flush(window, run);
  }

  private void flush(long window, long run) {
    if (run > 0) {
      samples.computeIfAbsent(window, w -> new LongAdder()).add(run);
    }
  }

  /** When the node seals a window at the earliest: {@code seal-delay} after the window ends. */
  long sealTime(long window) {
    return (window + 1) * spanMs + sealDelayMs;
  }

  /** All samples counted. */
  long total() {
    return samples.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** The samples of the windows sealed by {@code timeMs}: those whose seal time is not after it. */
  long sealedBy(long timeMs) {
    return samples.entrySet().stream()
        .filter(e -> sealTime(e.getKey()) <= timeMs)
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  /**
   * The earliest seal time after {@code timeMs} of a window holding samples, {@link Long#MAX_VALUE}
   * if none: until then, no more of these samples can be sealed.
   */
  long nextSealAfter(long timeMs) {
    return samples.keySet().stream()
        .mapToLong(this::sealTime)
        .filter(t -> t > timeMs)
        .min()
        .orElse(Long.MAX_VALUE);
  }
}
