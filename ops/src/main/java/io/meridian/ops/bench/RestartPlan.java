package io.meridian.ops.bench;

import java.time.Duration;
import java.util.Properties;

/**
 * Where the setup of {@code meridian bench restart} puts each scrape of {@link NodeExporterSeries}:
 * which rounds go to the node over remote write and which straight into the chunk table, so that
 * the node ends up holding what a week of ingest would have left it with.
 *
 * <p>A series group only reads chunk-table rows of a series within the span of chunks it sealed
 * itself (its {@code storedMinTs…storedMaxTs}), so the node must seal the first and the last of a
 * series' stored samples: round 0 (the <em>anchor</em>) and, from round {@code headRound - 2} on
 * (the <em>tail</em>, whose first round lies in the window before the heads, sealed at once), all
 * later rounds go over remote write; rounds {@code 1 … headRound - 3} (the <em>fill</em>) go into
 * the chunk table, in between. Rounds from {@code headRound} on are the open heads (the windows not
 * yet due for sealing: the last chunk span and seal delay), as in production.
 *
 * <p>{@code originMs} is chosen so that every sample of round {@code headRound} is at or after
 * {@code headStartMs} and every sample of round {@code headRound - 2} before it, whatever a host's
 * phase within the interval: the fill never writes into a window the node still holds in its heads.
 *
 * @param originMs scrape 0's time before the hosts' phases ({@link NodeExporterSeries#timestamp})
 * @param headStartMs the start of the oldest window not yet due for sealing at plan time
 * @param headRound the first round of the heads
 */
public record RestartPlan(
    long originMs,
    long intervalMs,
    long chunkSpanMs,
    long sealDelayMs,
    long headStartMs,
    long headRound) {

  /**
   * More than the generator's jitter around a host's phase (a few milliseconds either way), so that
   * rounds split cleanly at window boundaries.
   */
  static final long JITTER_BOUND_MS = 10;

  /** The most samples the node puts in one chunk by default ({@code chunk-max-samples}). */
  static final int CHUNK_MAX_SAMPLES = 4096;

  /** The length of a UTC day, which a chunk span must divide. */
  private static final long DAY_MS = 86_400_000L;

  public RestartPlan {
    if (intervalMs < 1000) {
      throw new IllegalArgumentException("the interval must be at least 1s");
    }
    if (chunkSpanMs < 60_000 || DAY_MS % chunkSpanMs != 0) {
      throw new IllegalArgumentException("the chunk span must be at least 1m and divide a day");
    }
    if (chunkSpanMs < 4 * intervalMs || chunkSpanMs / intervalMs > CHUNK_MAX_SAMPLES) {
      throw new IllegalArgumentException(
          "a chunk span must hold 4 to " + CHUNK_MAX_SAMPLES + " intervals");
    }
    if (headRound < 4) {
      throw new IllegalArgumentException(
          "the data must span at least 4 intervals before the heads");
    }
  }

  /**
   * The plan for data reaching back {@code span} from {@code nowMs}, for a node that seals a
   * window's chunk {@code sealDelay} after the window of {@code chunkSpan} ends.
   */
  public static RestartPlan of(
      long nowMs, Duration span, Duration interval, Duration chunkSpan, Duration sealDelay) {
    long intervalMs = interval.toMillis();
    long chunkSpanMs = chunkSpan.toMillis();
    long sealDelayMs = sealDelay.toMillis();
    // The oldest window whose chunk is not yet due: due once (window + 1) * span + delay <= now.
    long headStartMs = Math.floorDiv(nowMs - sealDelayMs, chunkSpanMs) * chunkSpanMs;
    // Whole rounds from about nowMs - span to the heads, the origin moved back to a round's start.
    long reachMs = headStartMs + JITTER_BOUND_MS - (nowMs - span.toMillis());
    long headRound = Math.max(0, (reachMs + intervalMs - 1) / intervalMs);
    long originMs = headStartMs + JITTER_BOUND_MS - headRound * intervalMs;
    return new RestartPlan(originMs, intervalMs, chunkSpanMs, sealDelayMs, headStartMs, headRound);
  }

  /** The first round written into the chunk table. */
  public long firstFillRound() {
    return 1;
  }

  /** The round after the last one written into the chunk table: the tail's first. */
  public long fillEndRound() {
    return headRound - 2;
  }

  /** The first round of the tail, sent over remote write and sealed by the node at once. */
  public long tailRound() {
    return headRound - 2;
  }

  /**
   * The round after the last one whose every sample is at or before {@code nowMs}: where the heads
   * end when written at {@code nowMs}; at least one round after {@link #headRound}.
   */
  public long endRound(long nowMs) {
    long complete = Math.floorDiv(nowMs - originMs - intervalMs - JITTER_BOUND_MS, intervalMs) + 1;
    return Math.max(headRound + 1, complete);
  }

  /** The time an instant query sees the last sample of every series at, for heads ending there. */
  public long lastRoundTimeMs(long endRound) {
    return originMs + endRound * intervalMs + JITTER_BOUND_MS;
  }

  /** The window (index) holding a timestamp. */
  public long windowOf(long timestampMs) {
    return Math.floorDiv(timestampMs, chunkSpanMs);
  }

  /** The start of the window before the heads, which the tail's rounds land in. */
  public long tailWindowStartMs() {
    return headStartMs - chunkSpanMs;
  }

  /**
   * Rows the fill writes for a generator of this plan: one per series and window holding any of its
   * fill rounds (each window of a series' fill span holds some, as a span holds 4 intervals).
   */
  public long fillRows(NodeExporterSeries generated) {
    long rows = 0;
    for (int i = 0; i < generated.size(); i++) {
      rows += fillWindows(generated, i);
    }
    return rows;
  }

  /** Windows holding fill rounds of one series. */
  long fillWindows(NodeExporterSeries generated, int index) {
    return windowOf(generated.timestamp(index, fillEndRound() - 1))
        - windowOf(generated.timestamp(index, firstFillRound()))
        + 1;
  }

  /**
   * The TTL the node gives a chunk ending at {@code endMs} written at {@code nowMs} (see {@code
   * SeriesGroup.ttlSeconds}): until it leaves retention, rounded up to the hour; 0 without one.
   */
  public static int ttlSeconds(long endMs, long nowMs, long retentionMs) {
    if (retentionMs <= 0) {
      return 0;
    }
    long seconds = Math.max(1, (endMs + retentionMs - nowMs) / 1000);
    long hours = (seconds + 3599) / 3600;
    return (int) Math.min(Integer.MAX_VALUE, hours * 3600);
  }

  /** The plan as properties, to measure a kept data directory again. */
  void store(Properties properties) {
    properties.setProperty("plan.origin-ms", Long.toString(originMs));
    properties.setProperty("plan.interval-ms", Long.toString(intervalMs));
    properties.setProperty("plan.chunk-span-ms", Long.toString(chunkSpanMs));
    properties.setProperty("plan.seal-delay-ms", Long.toString(sealDelayMs));
    properties.setProperty("plan.head-start-ms", Long.toString(headStartMs));
    properties.setProperty("plan.head-round", Long.toString(headRound));
  }

  static RestartPlan load(Properties properties) {
    return new RestartPlan(
        Long.parseLong(properties.getProperty("plan.origin-ms")),
        Long.parseLong(properties.getProperty("plan.interval-ms")),
        Long.parseLong(properties.getProperty("plan.chunk-span-ms")),
        Long.parseLong(properties.getProperty("plan.seal-delay-ms")),
        Long.parseLong(properties.getProperty("plan.head-start-ms")),
        Long.parseLong(properties.getProperty("plan.head-round")));
  }
}
