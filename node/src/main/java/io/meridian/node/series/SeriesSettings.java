package io.meridian.node.series;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the series store, read from {@code meridian.series}.
 *
 * @param snapshotEvery most events a group persists between snapshots
 * @param snapshotJournalRatio a group also snapshots once the journal it wrote since its last
 *     snapshot holds about this many times the snapshot's size
 */
public record SeriesSettings(
    int groups,
    Duration askTimeout,
    int snapshotEvery,
    double snapshotJournalRatio,
    long maxAppendBytes,
    int maxInFlightAppends,
    long maxQueuedBytesPerGroup,
    Duration appendLinger) {

  /** Default of {@code meridian.series.snapshot-journal-ratio}. */
  public static final double DEFAULT_SNAPSHOT_JOURNAL_RATIO = 2;

  /** Default of {@code meridian.series.max-append-bytes}. */
  public static final long DEFAULT_MAX_APPEND_BYTES = 256 * 1024;

  /** Default of {@code meridian.series.max-in-flight-appends}. */
  public static final int DEFAULT_MAX_IN_FLIGHT_APPENDS = 1;

  /** Default of {@code meridian.series.max-queued-bytes-per-group}, in max-append-bytes. */
  public static final int DEFAULT_QUEUED_APPENDS = 4;

  public SeriesSettings(int groups, Duration askTimeout, int snapshotEvery) {
    this(groups, askTimeout, snapshotEvery, DEFAULT_MAX_APPEND_BYTES);
  }

  public SeriesSettings(int groups, Duration askTimeout, int snapshotEvery, long maxAppendBytes) {
    this(
        groups,
        askTimeout,
        snapshotEvery,
        DEFAULT_SNAPSHOT_JOURNAL_RATIO,
        maxAppendBytes,
        DEFAULT_MAX_IN_FLIGHT_APPENDS,
        DEFAULT_QUEUED_APPENDS * maxAppendBytes,
        Duration.ZERO);
  }

  public SeriesSettings {
    if (groups < 1) {
      throw new IllegalArgumentException("meridian.series.groups must be at least 1: " + groups);
    }
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException(
          "meridian.series.snapshot-every must be at least 1: " + snapshotEvery);
    }
    if (!(snapshotJournalRatio > 0)) {
      throw new IllegalArgumentException(
          "meridian.series.snapshot-journal-ratio must be above 0: " + snapshotJournalRatio);
    }
    if (maxAppendBytes < 1024) {
      throw new IllegalArgumentException(
          "meridian.series.max-append-bytes must be at least 1KiB: " + maxAppendBytes);
    }
    if (maxInFlightAppends < 1) {
      throw new IllegalArgumentException(
          "meridian.series.max-in-flight-appends must be at least 1: " + maxInFlightAppends);
    }
    if (maxQueuedBytesPerGroup < maxAppendBytes) {
      throw new IllegalArgumentException(
          "meridian.series.max-queued-bytes-per-group must be at least max-append-bytes ("
              + maxAppendBytes
              + "): "
              + maxQueuedBytesPerGroup);
    }
    if (appendLinger.isNegative()) {
      throw new IllegalArgumentException(
          "meridian.series.append-linger must not be negative: " + appendLinger);
    }
  }

  public static SeriesSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.series");
    return new SeriesSettings(
        c.getInt("groups"),
        c.getDuration("ask-timeout"),
        c.getInt("snapshot-every"),
        c.getDouble("snapshot-journal-ratio"),
        c.getBytes("max-append-bytes"),
        c.getInt("max-in-flight-appends"),
        c.getBytes("max-queued-bytes-per-group"),
        c.getDuration("append-linger"));
  }
}
