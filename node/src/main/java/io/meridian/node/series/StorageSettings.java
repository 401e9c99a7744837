package io.meridian.node.series;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How series groups keep their data, read from {@code meridian.series}: the span of a chunk, when
 * chunks are sealed into the chunk table, per-project retention and series limits.
 *
 * @param chunkSpan a chunk holds samples of one span-aligned window (e.g. 2 h); divides a day
 * @param sealDelay how long after its window ends a chunk is sealed, so late samples still join it
 * @param sealInterval how often a group looks for chunks to seal
 * @param sealIdle a window written after its end (a backfill) is sealed once it had no write for
 *     this long (or a later window of the series was written)
 * @param chunkMaxSamples an open chunk with this many samples is sealed at the next look
 * @param lateMaxSamples a series holding this many out-of-order samples is sealed at the next look
 * @param retention how long a project's samples are kept (zero: forever), by project, with a
 *     default for projects not named
 * @param seriesLimit how many series a project may hold (zero: no limit), by project, with a
 *     default
 * @param maxReadSeries most series one read may return
 * @param maxReadSamples most samples one read may load (head and chunk table together)
 * @param chunkStore where sealed chunks go: {@code cassandra}, or {@code memory} (tests only: lost
 *     when the actor system stops); {@link #fromConfig} resolves {@code auto} to one of them
 * @param headParts how many compacted parts of its windows a series' head keeps in memory; older
 *     ones go to the chunk table at the next look, before their window is sealed
 */
public record StorageSettings(
    Duration chunkSpan,
    Duration sealDelay,
    Duration sealInterval,
    int chunkMaxSamples,
    int lateMaxSamples,
    Duration defaultRetention,
    Map<String, Duration> retention,
    long defaultSeriesLimit,
    Map<String, Long> seriesLimit,
    long maxReadSeries,
    long maxReadSamples,
    String chunkStore,
    Duration sealIdle,
    int headParts) {

  /** Default of {@code meridian.series.seal-idle}. */
  public static final Duration DEFAULT_SEAL_IDLE = Duration.ofMinutes(1);

  /** Default of {@code meridian.series.head-parts}. */
  public static final int DEFAULT_HEAD_PARTS = 1;

  /** Settings with the default {@code seal-idle} and {@code head-parts}. */
  public StorageSettings(
      Duration chunkSpan,
      Duration sealDelay,
      Duration sealInterval,
      int chunkMaxSamples,
      int lateMaxSamples,
      Duration defaultRetention,
      Map<String, Duration> retention,
      long defaultSeriesLimit,
      Map<String, Long> seriesLimit,
      long maxReadSeries,
      long maxReadSamples,
      String chunkStore) {
    this(
        chunkSpan,
        sealDelay,
        sealInterval,
        chunkMaxSamples,
        lateMaxSamples,
        defaultRetention,
        retention,
        defaultSeriesLimit,
        seriesLimit,
        maxReadSeries,
        maxReadSamples,
        chunkStore,
        DEFAULT_SEAL_IDLE,
        DEFAULT_HEAD_PARTS);
  }

  /** Defaults for unit tests: data kept forever, no series limit, chunks in memory. */
  public static final StorageSettings FOR_TESTS =
      new StorageSettings(
          Duration.ofHours(2),
          Duration.ofMinutes(10),
          Duration.ofSeconds(10),
          4096,
          4096,
          Duration.ZERO,
          Map.of(),
          0,
          Map.of(),
          1_000_000,
          50_000_000,
          "memory");

  public StorageSettings {
    retention = Map.copyOf(retention);
    seriesLimit = Map.copyOf(seriesLimit);
    if (chunkSpan.toMillis() < 60_000 || StoredChunk.DAY_MS % chunkSpan.toMillis() != 0) {
      throw new IllegalArgumentException(
          "meridian.series.chunk-span must be at least 1m and divide a day: " + chunkSpan);
    }
    if (chunkMaxSamples < 1 || lateMaxSamples < 1) {
      throw new IllegalArgumentException(
          "meridian.series.chunk-max-samples and late-max-samples must be at least 1");
    }
    if (sealIdle.isNegative()) {
      throw new IllegalArgumentException("meridian.series.seal-idle must not be negative");
    }
    if (headParts < 0) {
      throw new IllegalArgumentException("meridian.series.head-parts must not be negative");
    }
    if (!chunkStore.equals("cassandra") && !chunkStore.equals("memory")) {
      throw new IllegalArgumentException(
          "meridian.series.chunk-store must be cassandra or memory: " + chunkStore);
    }
  }

  public static StorageSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.series");
    // Project ids may hold dots or dashes: read each by its quoted path.
    Config retentionByProject = c.getConfig("retention.projects");
    Map<String, Duration> retention = new HashMap<>();
    for (String project : retentionByProject.root().keySet()) {
      retention.put(project, retentionByProject.getDuration(ConfigUtil.joinPath(project)));
    }
    Config limitByProject = c.getConfig("series-limit.projects");
    Map<String, Long> limits = new HashMap<>();
    for (String project : limitByProject.root().keySet()) {
      limits.put(project, limitByProject.getLong(ConfigUtil.joinPath(project)));
    }
    return new StorageSettings(
        c.getDuration("chunk-span"),
        c.getDuration("seal-delay"),
        c.getDuration("seal-interval"),
        c.getInt("chunk-max-samples"),
        c.getInt("late-max-samples"),
        c.getDuration("retention.default"),
        retention,
        c.getLong("series-limit.default"),
        limits,
        c.getLong("max-read-series"),
        c.getLong("max-read-samples"),
        chunkStore(config, c.getString("chunk-store")),
        c.getDuration("seal-idle"),
        c.getInt("head-parts"));
  }

  /** {@code auto}: Cassandra's chunk table with Cassandra's journal, else memory. */
  private static String chunkStore(Config config, String configured) {
    if (!configured.equals("auto")) {
      return configured;
    }
    String journal = config.getString("pekko.persistence.journal.plugin");
    return journal.startsWith("pekko.persistence.cassandra") ? "cassandra" : "memory";
  }

  /** A duration as configuration writes it: 15d, 36h, 90m or 45s. */
  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  /** How long {@code tenant}'s samples are kept; zero: forever. */
  public Duration retentionOf(String tenant) {
    return retention.getOrDefault(tenant, defaultRetention);
  }

  /** How many series {@code tenant} may hold in all; zero: no limit. */
  public long seriesLimitOf(String tenant) {
    return seriesLimit.getOrDefault(tenant, defaultSeriesLimit);
  }

  public StorageSettings withRetention(Duration defaultRetention) {
    return with(defaultRetention, defaultSeriesLimit, headParts);
  }

  public StorageSettings withHeadParts(int headParts) {
    return with(defaultRetention, defaultSeriesLimit, headParts);
  }

  public StorageSettings withSeriesLimit(long defaultSeriesLimit) {
    return with(defaultRetention, defaultSeriesLimit, headParts);
  }

  private StorageSettings with(Duration defaultRetention, long defaultSeriesLimit, int headParts) {
    return new StorageSettings(
        chunkSpan,
        sealDelay,
        sealInterval,
        chunkMaxSamples,
        lateMaxSamples,
        defaultRetention,
        retention,
        defaultSeriesLimit,
        seriesLimit,
        maxReadSeries,
        maxReadSamples,
        chunkStore,
        sealIdle,
        headParts);
  }
}
