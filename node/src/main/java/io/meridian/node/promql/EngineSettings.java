package io.meridian.node.promql;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits and defaults of the PromQL engine, read from {@code meridian.promql}: lookback delta (5 m
 * as in Prometheus), the most samples a query may hold in memory at once, the query timeout and the
 * step of subqueries that name none.
 */
public record EngineSettings(
    Duration lookbackDelta, long maxSamples, Duration timeout, Duration defaultSubqueryStep) {

  public static EngineSettings defaults() {
    return new EngineSettings(
        Duration.ofMinutes(5), 50_000_000, Duration.ofMinutes(2), Duration.ofMinutes(1));
  }

  public static EngineSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.promql");
    return new EngineSettings(
        c.getDuration("lookback-delta"),
        c.getLong("max-samples"),
        c.getDuration("timeout"),
        c.getDuration("default-subquery-step"));
  }
}
