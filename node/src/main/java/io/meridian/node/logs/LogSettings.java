package io.meridian.node.logs;

import com.typesafe.config.Config;
import java.time.Duration;

/** Settings of the log streams, read from {@code meridian.logs}. */
public record LogSettings(
    Duration bucket,
    Duration askTimeout,
    int snapshotEvery,
    long snapshotMaxBytes,
    long maxAppendBytes,
    int readMaxEntries,
    long readMaxBytes,
    int readParallelism,
    int maxWaiters,
    Duration subscribeSettle,
    Duration subscriptionLinger) {

  public LogSettings {
    if (bucket.toMillis() < 1) {
      throw new IllegalArgumentException("meridian.logs.bucket must be at least 1ms: " + bucket);
    }
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException(
          "meridian.logs.snapshot-every must be at least 1: " + snapshotEvery);
    }
    if (maxAppendBytes < 1024) {
      throw new IllegalArgumentException(
          "meridian.logs.max-append-bytes must be at least 1KiB: " + maxAppendBytes);
    }
    if (readMaxEntries < 1 || readMaxBytes < 1 || readParallelism < 1) {
      throw new IllegalArgumentException(
          "meridian.logs.read-max-entries, read-max-bytes and read-parallelism must be positive");
    }
    if (maxWaiters < 0) {
      throw new IllegalArgumentException(
          "meridian.logs.max-waiters must not be negative: " + maxWaiters);
    }
  }

  public static LogSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.logs");
    return new LogSettings(
        c.getDuration("bucket"),
        c.getDuration("ask-timeout"),
        c.getInt("snapshot-every"),
        c.getBytes("snapshot-max-bytes"),
        c.getBytes("max-append-bytes"),
        c.getInt("read-max-entries"),
        c.getBytes("read-max-bytes"),
        c.getInt("read-parallelism"),
        c.getInt("max-waiters"),
        c.getDuration("subscribe-settle"),
        c.getDuration("subscription-linger"));
  }

  /** The bucket (time slice of one stream entity) an entry at {@code timestampMs} belongs to. */
  public long bucketOf(long timestampMs) {
    return Math.floorDiv(timestampMs, bucket.toMillis());
  }
}
