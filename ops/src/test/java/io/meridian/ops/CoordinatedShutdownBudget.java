package io.meridian.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.Map;

/**
 * The longest a node's coordinated shutdown (leaving the cluster, handing shards over, finishing
 * requests) can take: every phase at its timeout. A supervisor must wait longer before it kills.
 */
final class CoordinatedShutdownBudget {

  private CoordinatedShutdownBudget() {}

  static Duration worstCase(Config config) {
    Duration total = Duration.ZERO;
    ConfigObject all = config.getObject("pekko.coordinated-shutdown.phases");
    for (Map.Entry<String, ConfigValue> phase : all.entrySet()) {
      Config settings = all.toConfig().getConfig("\"" + phase.getKey() + "\"");
      total =
          total.plus(
              settings.hasPath("timeout")
                  ? settings.getDuration("timeout")
                  : config.getDuration("pekko.coordinated-shutdown.default-phase-timeout"));
    }
    return total;
  }
}
