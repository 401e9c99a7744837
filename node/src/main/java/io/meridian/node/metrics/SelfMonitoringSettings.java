package io.meridian.node.metrics;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of {@code meridian.self-monitoring}: whether each node stores its own metrics, how
 * often, in which project, and the {@code instance} label they get.
 *
 * @param instance the {@code instance} label; empty for the HTTP API's advertised host and port
 */
public record SelfMonitoringSettings(
    boolean enabled, Duration interval, String project, String instance) {

  /** Hosts that mean "every interface": no use to whoever reads the {@code instance} label. */
  private static final Set<String> WILDCARDS =
      Set.of("", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

  public SelfMonitoringSettings {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "meridian.self-monitoring.interval must be positive, not " + interval);
    }
    if (project.isBlank()) {
      throw new IllegalArgumentException("meridian.self-monitoring.project must not be empty");
    }
  }

  public static SelfMonitoringSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.self-monitoring");
    return new SelfMonitoringSettings(
        c.getBoolean("enabled"),
        c.getDuration("interval"),
        c.getString("project"),
        c.getString("instance").trim());
  }

  /**
   * The {@code instance} label of a node whose HTTP API is bound to {@code httpHost} and {@code
   * port}: the configured one, else that host and port, with the node's remoting host (its
   * canonical hostname, which other nodes reach it by) instead of a wildcard address.
   */
  public String instanceFor(String httpHost, int port, String remotingHost) {
    if (!instance.isEmpty()) {
      return instance;
    }
    String host = WILDCARDS.contains(httpHost) ? remotingHost : httpHost;
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
