package io.meridian.ops;

import static io.meridian.ops.RenderedChart.strings;
import static io.meridian.ops.RenderedChart.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.event.NoLogging$;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrapSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started by the Helm chart: its configuration, loaded as {@link NodeConfig} loads it from
 * the environment and the ConfigMap the chart renders, has Cluster Bootstrap on Kubernetes API
 * discovery, the pod's addresses, the external Cassandra and production credentials.
 */
class HelmChartNodeConfigTest {

  private static final String POD_IP = "10.42.3.17";

  @TempDir Path etc;
  @TempDir Path workingDirectory;

  /**
   * The node's configuration with the container's environment: plain values as they are, the pod IP
   * for {@code status.podIP}, Secret keys from the rendered Secrets or from {@code existing}, and
   * {@code MERIDIAN_CONFIG} naming the ConfigMap's file written here.
   */
  private NodeConfig.Loaded load(RenderedChart chart, Map<String, String> existing)
      throws IOException {
    Path main = etc.resolve("meridian.conf");
    Files.writeString(
        main,
        chart.one("ConfigMap").path("data").path("meridian.conf").asText(),
        StandardCharsets.UTF_8);
    Map<String, String> environment = new LinkedHashMap<>();
    chart
        .env()
        .forEach(
            (name, entry) -> {
              JsonNode from = entry.path("valueFrom");
              String value;
              if (entry.has("value")) {
                value = entry.path("value").asText();
              } else if (from.has("fieldRef")) {
                assertThat(from.path("fieldRef").path("fieldPath").asText())
                    .isEqualTo("status.podIP");
                value = POD_IP;
              } else {
                JsonNode ref = from.path("secretKeyRef");
                String secret = ref.path("name").asText();
                String key = ref.path("key").asText();
                value =
                    chart.ofKind("Secret").isEmpty()
                        ? existing.get(secret + "/" + key)
                        : chart.secretValue(secret, key);
              }
              environment.put(name, value);
            });
    assertThat(environment.get(NodeConfig.MAIN_FILE_VARIABLE))
        .isEqualTo(NodeConfig.DEFAULT_MAIN_FILE.toString());
    environment.put(NodeConfig.MAIN_FILE_VARIABLE, main.toString());
    return NodeConfig.load(
        new NodeConfig.Sources(
            environment, ConfigFactory.empty(), main, workingDirectory, Optional.empty()),
        ConfigFactory.empty());
  }

  @Test
  void threeReplicasMakeANodeThatBootstrapsOnceThreePodsOfItsReleaseAnswer() throws IOException {
    RenderedChart chart = RenderedChart.render("tsdb", values(etc, "replicaCount: 3"));
    Config config = load(chart, Map.of()).config();

    assertThat(config.getBoolean("meridian.cluster.bootstrap")).isTrue();
    assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    Config discovery =
        config.getConfig("pekko.management.cluster.bootstrap.contact-point-discovery");
    assertThat(discovery.getInt("required-contact-point-nr")).isEqualTo(3);
    assertThat(discovery.getString("discovery-method")).isEqualTo("kubernetes-api");
    assertThat(discovery.getString("port-name")).isEqualTo("management");
    assertThat(discovery.getString("service-name")).isEqualTo("tsdb-meridian");
    String selector = config.getString("pekko.discovery.kubernetes-api.pod-label-selector");
    Map<String, String> podLabels =
        strings(
            chart.one("Deployment").path("spec").path("template").path("metadata").path("labels"));
    assertThat(selector.split(","))
        .hasSize(2)
        .allSatisfy(
            label -> {
              String[] pair = label.split("=", 2);
              assertThat(podLabels).containsEntry(pair[0], pair[1]);
            });

    // Pekko's own reading of the settings, as ClusterBootstrap.start() gets them.
    ClusterBootstrapSettings settings = new ClusterBootstrapSettings(config, NoLogging$.MODULE$);
    assertThat(settings.getContactPointDiscoveryRequiredContactPointsNr()).isEqualTo(3);
    assertThat(settings.getContactPointDiscoveryMethod()).isEqualTo("kubernetes-api");
    assertThat(settings.getContactPointDiscoveryPortName()).contains("management");
  }

  @Test
  void theNodeAdvertisesThePodsAddressAndListensOnTheChartsPorts() throws IOException {
    Config config = load(RenderedChart.render("tsdb", values(etc, "")), Map.of()).config();

    assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo(POD_IP);
    assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25520);
    // Cluster Bootstrap finds itself among the discovered pods by the advertised management host.
    assertThat(config.getString("pekko.management.http.hostname")).isEqualTo(POD_IP);
    assertThat(config.getString("pekko.management.http.bind-hostname")).isEqualTo("0.0.0.0");
    assertThat(config.getInt("pekko.management.http.port")).isEqualTo(7626);
    assertThat(config.getString("meridian.http.host")).isEqualTo("0.0.0.0");
    assertThat(config.getInt("meridian.http.port")).isEqualTo(4242);
    assertThat(config.getString("meridian.log.dir")).isEqualTo("/var/log/meridian");
  }

  @Test
  void theNodeUsesTheExternalCassandraAndStartsInProduction() throws IOException {
    RenderedChart chart =
        RenderedChart.render(
            "tsdb",
            values(
                etc,
                """
                existingSecret: meridian-credentials
                cassandra:
                  contactPoints: [cass-1.db:9042, cass-2.db:9042]
                  localDatacenter: dc-east
                  keyspace: tsdb
                  autoCreate: false
                  writeConsistency: LOCAL_QUORUM
                  readConsistency: LOCAL_QUORUM
                  username: meridian
                config: |
                  meridian.series.groups = 32
                """));
    String token = "a-token-from-the-operators-own-secret-0123";
    Config config =
        load(
                chart,
                Map.of(
                    "meridian-credentials/admin-token",
                    token,
                    "meridian-credentials/cassandra-password",
                    "pw"))
            .config();

    assertThat(config.getBoolean("meridian.cassandra.embedded.enabled")).isFalse();
    assertThat(config.getStringList("meridian.cassandra.contact-points"))
        .containsExactly("cass-1.db:9042", "cass-2.db:9042");
    assertThat(config.getString("meridian.cassandra.local-datacenter")).isEqualTo("dc-east");
    assertThat(config.getString("pekko.persistence.cassandra.journal.keyspace")).isEqualTo("tsdb");
    assertThat(config.getBoolean("meridian.cassandra.auto-create")).isFalse();
    assertThat(config.getString("meridian.cassandra.write-consistency")).isEqualTo("LOCAL_QUORUM");
    assertThat(config.getString("meridian.cassandra.username")).isEqualTo("meridian");
    assertThat(config.getString("meridian.cassandra.password")).isEqualTo("pw");
    assertThat(config.getInt("meridian.series.groups")).isEqualTo(32);
    assertThat(config.getString("meridian.profile")).isEqualTo("production");
    assertThat(config.getString("meridian.auth.mode")).isEqualTo("enforced");
    assertThat(config.getString("meridian.auth.admin-token")).isEqualTo(token);
    assertThatCode(() -> FirstAdminKey.check(config)).doesNotThrowAnyException();
  }

  @Test
  void everyMeridianVariableTheChartSetsIsOneTheNodeReads() throws IOException {
    RenderedChart chart =
        RenderedChart.render(
            "tsdb",
            values(
                etc,
                """
                cluster: {failureDetectorPause: 5s, splitBrainStableAfter: 10s}
                cassandra: {username: meridian, password: pw}
                """));
    NodeConfig.Loaded loaded = load(chart, Map.of());

    Set<String> variables =
        chart.env().keySet().stream()
            .filter(name -> name.startsWith("MERIDIAN_"))
            .filter(name -> !name.equals(NodeConfig.MAIN_FILE_VARIABLE))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(variables)
        .contains("MERIDIAN_FAILURE_DETECTOR_PAUSE", "MERIDIAN_CASSANDRA_PASSWORD");
    assertThat(loaded.variables()).containsAll(variables);
    assertThat(loaded.files()).containsExactly(etc.resolve("meridian.conf"));
  }

  @Test
  void withoutTheChartANodeDoesNotBootstrapAndSeedNodesDecide() throws IOException {
    Config config =
        NodeConfig.load(
                new NodeConfig.Sources(
                    Map.of(),
                    ConfigFactory.empty(),
                    etc.resolve("meridian.conf"),
                    workingDirectory,
                    Optional.empty()),
                ConfigFactory.empty())
            .config();

    assertThat(config.getBoolean("meridian.cluster.bootstrap")).isFalse();
    assertThat(config.getString("pekko.management.http.bind-hostname")).isEmpty();
    assertThat(
            config.getInt(
                "pekko.management.cluster.bootstrap.contact-point-discovery"
                    + ".required-contact-point-nr"))
        .isEqualTo(2);
  }
}
