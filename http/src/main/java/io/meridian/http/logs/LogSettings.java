package io.meridian.http.logs;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the log-excerpt API, read from {@code meridian.logs}: how long a long poll waits, how
 * old a range's end must be before its excerpt counts as settled (and is cacheable), and for how
 * long a settled excerpt may be cached.
 */
record LogSettings(Duration longPollTimeout, Duration cacheableAfter, Duration cacheMaxAge) {

  static LogSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.logs");
    return new LogSettings(
        c.getDuration("long-poll-timeout"),
        c.getDuration("cacheable-after"),
        c.getDuration("cache-max-age"));
  }
}
