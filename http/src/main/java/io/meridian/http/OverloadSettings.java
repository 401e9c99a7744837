package io.meridian.http;

import com.typesafe.config.Config;

/**
 * How much HTTP work one node admits at once, read from {@code meridian.http.overload}: requests
 * beyond either limit are answered 503 at once instead of queueing behind the store.
 *
 * @param maxRequestsInFlight requests being served at once, over all connections
 * @param maxBytesInFlight request body bytes (as declared by Content-Length) being served at once
 * @param assumedChunkedBytes what a body of unknown length (chunked) counts towards {@code
 *     maxBytesInFlight}
 */
public record OverloadSettings(
    int maxRequestsInFlight, long maxBytesInFlight, long assumedChunkedBytes) {

  public OverloadSettings {
    if (maxRequestsInFlight < 1 || maxBytesInFlight < 1 || assumedChunkedBytes < 0) {
      throw new IllegalArgumentException(
          "meridian.http.overload needs max-requests-in-flight >= 1, max-bytes-in-flight >= 1"
              + " and assumed-chunked-bytes >= 0");
    }
  }

  /** Reads {@code meridian.http.overload} of the node's configuration. */
  public static OverloadSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.http.overload");
    return new OverloadSettings(
        c.getInt("max-requests-in-flight"),
        c.getBytes("max-bytes-in-flight"),
        c.getBytes("assumed-chunked-bytes"));
  }
}
