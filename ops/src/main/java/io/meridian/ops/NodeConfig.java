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

  /** An environment variable holding a list: the setting it replaces, what separates its items. */
  private record ListVariable(String setting, String separator) {}

  /** The list-valued environment variables. */
  private static final Map<String, ListVariable> LIST_VARIABLES =
      Map.of(
          "MERIDIAN_SEED_NODES", new ListVariable("pekko.cluster.seed-nodes", ","),
          "MERIDIAN_CASSANDRA_CONTACT_POINTS",
              new ListVariable("meridian.cassandra.contact-points", ","),
          "MERIDIAN_CASSANDRA_JVM_OPTS",
              new ListVariable("meridian.cassandra.embedded.jvm-options", "\\s+"));

  private NodeConfig() {}

  /** The configuration of a node started from this process's environment. */
  public static Config load() {
    return load(System.getenv(), ConfigFactory.empty());
  }

  /** The configuration from {@code environment}, with {@code overrides} above the application's. */
  public static Config load(Map<String, String> environment, Config overrides) {
    Config lists = ConfigFactory.empty();
    for (Map.Entry<String, ListVariable> variable : LIST_VARIABLES.entrySet()) {
      String value = environment.get(variable.getKey());
      if (value != null) {
        ListVariable list = variable.getValue();
        lists =
            lists.withValue(
                list.setting(), ConfigValueFactory.fromIterable(split(value, list.separator())));
      }
    }
    return ConfigFactory.load(
        overrides.withFallback(lists).withFallback(ConfigFactory.defaultApplication()));
  }

  private static List<String> split(String value, String separator) {
    return Arrays.stream(value.split(separator))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
