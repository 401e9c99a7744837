package io.meridian.http;

import com.typesafe.config.Config;
import java.time.Duration;

/** Settings of the HTTP API, read from {@code meridian.http}. */
public record HttpSettings(
    String host,
    int port,
    Duration retryAfter,
    boolean showStackTrace,
    Duration shutdownDeadline,
    OverloadSettings overload) {

  public static HttpSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.http");
    return new HttpSettings(
        c.getString("host"),
        c.getInt("port"),
        c.getDuration("retry-after"),
        c.getBoolean("show-stack-trace"),
        c.getDuration("shutdown-deadline"),
        OverloadSettings.fromConfig(config));
  }

  public HttpSettings withPort(int newPort) {
    return new HttpSettings(host, newPort, retryAfter, showStackTrace, shutdownDeadline, overload);
  }
}
