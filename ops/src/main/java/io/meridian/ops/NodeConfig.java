package io.meridian.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a node's configuration in layers: the library defaults ({@code reference.conf}), the
 * application's {@code application.conf} with its {@code ${?ENV}} overrides, the list-valued
 * environment variables below (HOCON cannot split a variable into a list: most are separated by
 * commas, JVM options by spaces since an option may hold a comma), then {@code -D} system
 * properties over everything.
 */
public final class NodeConfig {

  /** Environment variables holding comma-separated lists, and the setting each one replaces. */
  static final Map<String, String> LIST_VARIABLES =
      Map.of(
          "MERIDIAN_SEED_NODES", "pekko.cluster.seed-nodes",
          "MERIDIAN_CASSANDRA_CONTACT_POINTS", "meridian.cassandra.contact-points");

  /** Environment variables holding lists separated by spaces, and the setting each replaces. */
  static final Map<String, String> SPACE_LIST_VARIABLES =
      Map.of("MERIDIAN_CASSANDRA_JVM_OPTS", "meridian.cassandra.embedded.jvm-options");

  private NodeConfig() {}

  /** The configuration of a node started from this process's environment. */
  public static Config load() {
    return load(System.getenv(), ConfigFactory.empty());
  }

  /** The configuration from {@code environment}, with {@code overrides} above the application's. */
  public static Config load(Map<String, String> environment, Config overrides) {
    Config lists = ConfigFactory.empty();
    for (Map.Entry<String, String> variable : LIST_VARIABLES.entrySet()) {
      String value = environment.get(variable.getKey());
      if (value != null) {
        lists = lists.withValue(variable.getValue(), ConfigValueFactory.fromIterable(split(value)));
      }
    }
    for (Map.Entry<String, String> variable : SPACE_LIST_VARIABLES.entrySet()) {
      String value = environment.get(variable.getKey());
      if (value != null) {
        List<String> items =
            Arrays.stream(value.split("\\s+")).filter(item -> !item.isEmpty()).toList();
        lists = lists.withValue(variable.getValue(), ConfigValueFactory.fromIterable(items));
      }
    }
    return ConfigFactory.load(
        overrides.withFallback(lists).withFallback(ConfigFactory.defaultApplication()));
  }

  static List<String> split(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
