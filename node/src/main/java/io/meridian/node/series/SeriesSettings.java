package io.meridian.node.series;

import com.typesafe.config.Config;
import java.time.Duration;

/** Settings of the series store, read from {@code meridian.series}. */
public record SeriesSettings(
    int groups,
    Duration askTimeout,
    int snapshotEvery,
    long snapshotMaxSamples,
    long maxAppendBytes) {

  /** Default of {@code meridian.series.max-append-bytes}. */
  public static final long DEFAULT_MAX_APPEND_BYTES = 256 * 1024;

  public SeriesSettings(
      int groups, Duration askTimeout, int snapshotEvery, long snapshotMaxSamples) {
    this(groups, askTimeout, snapshotEvery, snapshotMaxSamples, DEFAULT_MAX_APPEND_BYTES);
  }

  public SeriesSettings {
    if (groups < 1) {
      throw new IllegalArgumentException("meridian.series.groups must be at least 1: " + groups);
    }
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException(
          "meridian.series.snapshot-every must be at least 1: " + snapshotEvery);
    }
    if (maxAppendBytes < 1024) {
      throw new IllegalArgumentException(
          "meridian.series.max-append-bytes must be at least 1KiB: " + maxAppendBytes);
    }
  }

  public static SeriesSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.series");
    return new SeriesSettings(
        c.getInt("groups"),
        c.getDuration("ask-timeout"),
        c.getInt("snapshot-every"),
        c.getLong("snapshot-max-samples"),
        c.getBytes("max-append-bytes"));
  }
}
