package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  @Test
  void commaSeparatedVariablesBecomeLists() {
    Config config =
        NodeConfig.load(
            Map.of(
                "MERIDIAN_SEED_NODES",
                "pekko://meridian@10.0.0.1:25520, pekko://meridian@10.0.0.2:25520",
                "MERIDIAN_CASSANDRA_CONTACT_POINTS",
                "cass-1:9042,cass-2:9042,"),
            ConfigFactory.empty());

    assertThat(config.getStringList("pekko.cluster.seed-nodes"))
        .containsExactly("pekko://meridian@10.0.0.1:25520", "pekko://meridian@10.0.0.2:25520");
    assertThat(config.getStringList("meridian.cassandra.contact-points"))
        .containsExactly("cass-1:9042", "cass-2:9042");
    assertThat(config.getStringList("datastax-java-driver.basic.contact-points"))
        .containsExactly("cass-1:9042", "cass-2:9042");
  }

  @Test
  void overridesWinOverVariablesAndDefaultsStay() {
    Config config =
        NodeConfig.load(
            Map.of("MERIDIAN_SEED_NODES", "pekko://meridian@10.0.0.1:25520"),
            ConfigFactory.parseString("pekko.cluster.seed-nodes = []"));

    assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(config.getString("meridian.cassandra.keyspace")).isEqualTo("meridian");
  }

  @Test
  void theDefaultDispatcherRunsOneThreadPerCoreAndAtLeastFour() {
    String key = "pekko.actor.default-dispatcher.fork-join-executor.";
    Config defaults = NodeConfig.load(Map.of(), ConfigFactory.empty());

    assertThat(defaults.getInt(key + "parallelism-min")).isEqualTo(4);
    assertThat(defaults.getDouble(key + "parallelism-factor")).isEqualTo(1.0);
  }

  @Test
  void cassandraJvmOptionsComeAsAListOrOneStringFromTheEnvironment() {
    Config fromEnv =
        NodeConfig.load(
            Map.of(
                "MERIDIAN_CASSANDRA_JVM_OPTS", " -XX:+UseParallelGC  -XX:ActiveProcessorCount=1 "),
            ConfigFactory.empty());
    Config asList =
        NodeConfig.load(
            Map.of(),
            ConfigFactory.parseString(
                "meridian.cassandra.embedded.jvm-options = [\"-XX:+AlwaysPreTouch\"]"));

    assertThat(
            RunCommand.embeddedSettings(fromEnv.getConfig("meridian.cassandra.embedded"))
                .jvmOptions())
        .containsExactly("-XX:+UseParallelGC", "-XX:ActiveProcessorCount=1");
    assertThat(
            RunCommand.embeddedSettings(asList.getConfig("meridian.cassandra.embedded"))
                .jvmOptions())
        .containsExactly("-XX:+AlwaysPreTouch");
    assertThat(
            RunCommand.embeddedSettings(
                    NodeConfig.load(Map.of(), ConfigFactory.empty())
                        .getConfig("meridian.cassandra.embedded"))
                .jvmOptions())
        .isEmpty();
  }
}
