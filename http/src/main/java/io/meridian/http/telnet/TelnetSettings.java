package io.meridian.http.telnet;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of OpenTSDB's telnet-style line protocol on the HTTP port, read from {@code
 * meridian.telnet}.
 *
 * @param enabled whether connections that do not start with an HTTP request line are served as the
 *     line protocol; when off every connection is HTTP
 * @param maxLineLength longest line in bytes; a longer one is answered with an error and the
 *     connection closed
 * @param batchSize most put lines written to the store as one batch
 * @param batchWindow longest a put line waits for others to share its batch
 * @param writeParallelism batches of one connection being written at once; while that many await
 *     the store's acknowledgement the connection reads nothing further
 * @param idleTimeout a connection that sends nothing for this long is closed
 */
public record TelnetSettings(
    boolean enabled,
    int maxLineLength,
    int batchSize,
    Duration batchWindow,
    int writeParallelism,
    Duration idleTimeout) {

  public TelnetSettings {
    if (maxLineLength < 16) {
      throw new IllegalArgumentException("meridian.telnet.max-line-length must be >= 16 bytes");
    }
    if (batchSize < 1 || writeParallelism < 1) {
      throw new IllegalArgumentException(
          "meridian.telnet.batch-size and write-parallelism must be positive");
    }
    if (batchWindow.isNegative() || batchWindow.isZero() || idleTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "meridian.telnet.batch-window must be positive and idle-timeout not negative");
    }
  }

  public static TelnetSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.telnet");
    long maxLine = c.getBytes("max-line-length");
    return new TelnetSettings(
        c.getBoolean("enabled"),
        (int) Math.min(Integer.MAX_VALUE, maxLine),
        c.getInt("batch-size"),
        c.getDuration("batch-window"),
        c.getInt("write-parallelism"),
        c.getDuration("idle-timeout"));
  }
}
