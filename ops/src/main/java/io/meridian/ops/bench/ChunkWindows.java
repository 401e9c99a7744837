package io.meridian.ops.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The acknowledged samples of a benchmark run counted by the node's chunk window they fall in
 * ({@code floor(timestamp / chunk-span)}, as {@code meridian.series.chunk-span} aligns them to the
 * epoch), so that the benchmark knows how many samples the node has sealed into the chunk table by
 * a given time: a window is sealed at the node's next look once it ended {@code seal-delay} ago and
 * it is no longer written: a later window was written, or none of its samples for {@code seal-idle}
 * (a window still written stays open, however old its timestamps: the last window of a run whose
 * virtual time is behind the clock is sealed {@code seal-idle} after the run's end).
 *
 * <p>Senders {@link #add add} from several threads at once; the wall-clock times of their adds
 * stand for the node's write times.
 */
final class ChunkWindows {

  /** A window's samples and the wall-clock times of the first and the last add to it. */
  private static final class Counted {
    final LongAdder samples = new LongAdder();
    final LongAccumulator firstAdd = new LongAccumulator(Math::min, Long.MAX_VALUE);
    final LongAccumulator lastAdd = new LongAccumulator(Math::max, Long.MIN_VALUE);
  }

  private final NodeExporterSeries generated;
  private final long spanMs;
  private final long sealDelayMs;
  private final long sealIdleMs;
  private final LongSupplier clock;
  private final Map<Long, Counted> windows = new ConcurrentHashMap<>();

  ChunkWindows(NodeExporterSeries generated, Duration span, Duration sealDelay, Duration sealIdle) {
    this(generated, span, sealDelay, sealIdle, System::currentTimeMillis);
  }

  ChunkWindows(
      NodeExporterSeries generated,
      Duration span,
      Duration sealDelay,
      Duration sealIdle,
      LongSupplier clock) {
    if (span.toMillis() < 1 || sealDelay.isNegative() || sealIdle.isNegative()) {
      throw new IllegalArgumentException(
          "chunk span must be positive, seal delay and seal idle not negative");
    }
    this.generated = generated;
    this.spanMs = span.toMillis();
    this.sealDelayMs = sealDelay.toMillis();
    this.sealIdleMs = sealIdle.toMillis();
    this.clock = clock;
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
      Counted counted = windows.computeIfAbsent(window, w -> new Counted());
      long now = clock.getAsLong();
      counted.firstAdd.accumulate(now);
      counted.lastAdd.accumulate(now);
      counted.samples.add(run);
    }
  }

  /**
   * When the node seals a window at the earliest: {@code seal-delay} after the window ends, and not
   * before it stopped being written (when a later window was first written, or {@code seal-idle}
   * after its last write, whichever came first).
   */
  long sealTime(long window) {
    long byTime = (window + 1) * spanMs + sealDelayMs;
    Counted counted = windows.get(window);
    if (counted == null) {
      return byTime;
    }
    long idle = counted.lastAdd.get() + sealIdleMs;
    long laterWritten =
        windows.entrySet().stream()
            .filter(e -> e.getKey() > window)
            .mapToLong(e -> e.getValue().firstAdd.get())
            .min()
            .orElse(Long.MAX_VALUE);
    return Math.max(byTime, Math.min(idle, laterWritten));
  }

  /** All samples counted. */
  long total() {
    return windows.values().stream().mapToLong(c -> c.samples.sum()).sum();
  }

  /** The samples of the windows sealed by {@code timeMs}: those whose seal time is not after it. */
  long sealedBy(long timeMs) {
    return windows.entrySet().stream()
        .filter(e -> sealTime(e.getKey()) <= timeMs)
        .mapToLong(e -> e.getValue().samples.sum())
        .sum();
  }

  /**
   * The earliest seal time after {@code timeMs} of a window holding samples, {@link Long#MAX_VALUE}
   * if none: until then, no more of these samples can be sealed.
   */
  long nextSealAfter(long timeMs) {
    return windows.keySet().stream()
        .mapToLong(this::sealTime)
        .filter(t -> t > timeMs)
        .min()
        .orElse(Long.MAX_VALUE);
  }
}
