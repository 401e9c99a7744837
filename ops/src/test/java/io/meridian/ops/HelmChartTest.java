package io.meridian.ops;

import static io.meridian.ops.RenderedChart.strings;
import static io.meridian.ops.RenderedChart.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart {@code charts/meridian}: {@code helm lint --strict} passes, and every manifest
 * {@code helm template} renders (default values, three replicas with the autoscaler, an existing
 * Secret, Cassandra credentials, a long release name) is well formed, named from the release, and
 * wires pods, ports, probes, services, RBAC and secrets together as the nodes need.
 */
class HelmChartTest {

  /** A Kubernetes object name that is also a DNS-1123 label, as Services need. */
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private static final String TOKEN = "an-admin-token-of-forty-characters-long!";

  @TempDir Path dir;

  private RenderedChart render(String release, String values) {
    return RenderedChart.render(release, values(dir, values));
  }

  /** Every value set the checks of all manifests run over. */
  private List<RenderedChart> variants() {
    return List.of(
        render("tsdb", ""),
        render(
            "tsdb",
            """
            replicaCount: 3
            autoscaling:
              enabled: true
              minReplicas: 3
              maxReplicas: 9
              targetMemoryUtilizationPercentage: 80
            existingSecret: meridian-credentials
            cassandra:
              contactPoints: [cass-1.db:9042, cass-2.db:9042]
              username: meridian
            """),
        render(
            "tsdb",
            """
            auth:
              adminToken: %s
            cassandra:
              username: meridian
              password: cassandra-secret
            serviceAccount:
              name: meridian-discovery
            """
                .formatted(TOKEN)),
        render("a-release-name-long-enough-for-kubernetes-name-limits", ""),
        render("meridian", ""));
  }

  @Test
  void lintPassesStrictlyWithoutWarnings() {
    LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();

    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void everyManifestIsAKubernetesObjectNamedFromTheRelease() {
    for (RenderedChart chart : variants()) {
      // The fullname of helm create's _helpers.tpl.
      String fullname =
          truncate(
              chart.release().contains("meridian")
                  ? chart.release()
                  : chart.release() + "-meridian",
              63);
      assertThat(chart.manifests()).isNotEmpty();
      for (JsonNode manifest : chart.manifests()) {
        String kind = manifest.path("kind").asText();
        String name = manifest.path("metadata").path("name").asText();
        assertThat(manifest.path("apiVersion").asText()).as("apiVersion of %s", kind).isNotBlank();
        assertThat(kind).as("kind of %s", name).isNotBlank();
        assertThat(name).as("name of a %s", kind).hasSizeBetween(1, 63).matches(DNS_1123_LABEL);
        if (!name.equals("meridian-credentials") && !name.equals("meridian-discovery")) {
          assertThat(name)
              .as("%s %s", kind, name)
              .isIn(
                  fullname,
                  truncate(fullname, 54) + "-headless",
                  truncate(fullname, 53) + "-cassandra");
        }
        assertThat(strings(manifest.path("metadata").path("labels")))
            .as("labels of %s %s", kind, name)
            .containsEntry("app.kubernetes.io/name", "meridian")
            .containsEntry("app.kubernetes.io/instance", chart.release())
            .containsEntry("app.kubernetes.io/managed-by", "Helm");
        assertThat(manifest.path("metadata").has("namespace")).isFalse();
      }
    }
  }

  /** {@code name} cut to {@code length}, without a trailing dash, as {@code trunc | trimSuffix}. */
  private static String truncate(String name, int length) {
    String cut = name.length() > length ? name.substring(0, length) : name;
    return cut.endsWith("-") ? cut.substring(0, cut.length() - 1) : cut;
  }

  @Test
  void everyManifestReadsIntoTheTypedKubernetesModelWithNoFieldItsSchemaLacks() {
    for (RenderedChart chart : variants()) {
      for (JsonNode manifest : chart.manifests()) {
        HasMetadata object = KubernetesModel.read(manifest);

        assertThat(KubernetesModel.unknownFields(object))
            .as("fields of %s %s", object.getKind(), object.getMetadata().getName())
            .isEmpty();
      }
    }
    Deployment deployment = (Deployment) KubernetesModel.read(render("tsdb", "").one("Deployment"));
    Container node = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(node.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
  }

  @Test
  void defaultValuesRenderTheNodesAndWhatTheyNeed() {
    RenderedChart chart = render("tsdb", "");

    assertThat(chart.manifests())
        .extracting(m -> m.path("kind").asText() + "/" + m.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder(
            "ServiceAccount/tsdb-meridian",
            "Role/tsdb-meridian",
            "RoleBinding/tsdb-meridian",
            "Secret/tsdb-meridian",
            "ConfigMap/tsdb-meridian",
            "Service/tsdb-meridian",
            "Service/tsdb-meridian-headless",
            "Deployment/tsdb-meridian",
            "PodDisruptionBudget/tsdb-meridian");
    for (JsonNode manifest : chart.manifests()) {
      assertThat(manifest.path("apiVersion").asText())
          .isEqualTo(
              switch (manifest.path("kind").asText()) {
                case "Deployment" -> "apps/v1";
                case "Role", "RoleBinding" -> "rbac.authorization.k8s.io/v1";
                case "PodDisruptionBudget" -> "policy/v1";
                default -> "v1";
              });
    }
    assertThat(chart.one("Deployment").path("spec").path("replicas").asInt()).isEqualTo(3);
  }

  @Test
  void theDeploymentAddsANodeBeforeItRemovesOne() {
    JsonNode spec = render("tsdb", "").one("Deployment").path("spec");

    assertThat(spec.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asInt(-1))
        .isZero();
    assertThat(spec.path("strategy").path("rollingUpdate").path("maxSurge").asInt()).isEqualTo(1);
  }

  @Test
  void selectorsOfTheDeploymentServicesAndBudgetMatchThePodLabels() {
    for (RenderedChart chart : variants()) {
      JsonNode deployment = chart.one("Deployment");
      Map<String, String> podLabels =
          strings(deployment.path("spec").path("template").path("metadata").path("labels"));
      Map<String, String> selector =
          strings(deployment.path("spec").path("selector").path("matchLabels"));

      assertThat(selector).isNotEmpty();
      assertThat(podLabels).containsAllEntriesOf(selector);
      for (JsonNode service : chart.ofKind("Service")) {
        assertThat(strings(service.path("spec").path("selector"))).isEqualTo(selector);
      }
      assertThat(
              strings(
                  chart
                      .one("PodDisruptionBudget")
                      .path("spec")
                      .path("selector")
                      .path("matchLabels")))
          .isEqualTo(selector);
    }
  }

  @Test
  void theNodeContainerHasNamedPortsAndProbesOnManagement() {
    JsonNode container = render("tsdb", "").container();

    List<String> ports = new ArrayList<>();
    container
        .path("ports")
        .forEach(p -> ports.add(p.path("name").asText() + ":" + p.path("containerPort").asInt()));
    assertThat(ports).containsExactly("http:4242", "remoting:25520", "management:7626");
    assertThat(probe(container, "livenessProbe")).isEqualTo("management /alive");
    assertThat(probe(container, "readinessProbe")).isEqualTo("management /ready");
    assertThat(probe(container, "startupProbe")).isEqualTo("management /alive");
  }

  private static String probe(JsonNode container, String probe) {
    JsonNode get = container.path(probe).path("httpGet");
    return get.path("port").asText() + " " + get.path("path").asText();
  }

  @Test
  void portsFromValuesReachTheContainerTheServicesAndTheNode() {
    RenderedChart chart =
        render(
            "tsdb",
            """
            ports: {http: 8080, remoting: 2552, management: 8558}
            service: {port: 80}
            """);

    Map<String, JsonNode> env = chart.env();
    assertThat(env.get("MERIDIAN_HTTP_PORT").path("value").asText()).isEqualTo("8080");
    assertThat(env.get("MERIDIAN_REMOTE_PORT").path("value").asText()).isEqualTo("2552");
    assertThat(env.get("MERIDIAN_MANAGEMENT_PORT").path("value").asText()).isEqualTo("8558");
    JsonNode http = chart.named("Service", "tsdb-meridian").path("spec").path("ports").get(0);
    assertThat(http.path("port").asInt()).isEqualTo(80);
    assertThat(http.path("targetPort").asText()).isEqualTo("http");
    JsonNode headless = chart.named("Service", "tsdb-meridian-headless").path("spec");
    assertThat(headless.path("clusterIP").asText()).isEqualTo("None");
    assertThat(headless.path("publishNotReadyAddresses").asBoolean()).isTrue();
    assertThat(headless.path("ports"))
        .extracting(p -> p.path("targetPort").asText() + ":" + p.path("port").asInt())
        .containsExactly("remoting:2552", "management:8558");
    assertThat(
            chart
                .one("Deployment")
                .path("spec")
                .path("template")
                .path("metadata")
                .path("annotations")
                .path("prometheus.io/port")
                .asText())
        .as("/metrics without credentials is on the management port")
        .isEqualTo("8558");
  }

  @Test
  void discoveryMayGetWatchAndListPodsAsTheNodesServiceAccount() {
    for (RenderedChart chart : variants()) {
      String serviceAccount = chart.podSpec().path("serviceAccountName").asText();
      JsonNode role = chart.one("Role");
      JsonNode binding = chart.one("RoleBinding");

      assertThat(role.path("rules")).hasSize(1);
      JsonNode rule = role.path("rules").get(0);
      assertThat(rule.path("apiGroups")).extracting(JsonNode::asText).containsExactly("");
      assertThat(rule.path("resources")).extracting(JsonNode::asText).containsExactly("pods");
      assertThat(rule.path("verbs"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder("get", "watch", "list");
      assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
      assertThat(binding.path("roleRef").path("name").asText())
          .isEqualTo(role.path("metadata").path("name").asText());
      assertThat(binding.path("subjects")).hasSize(1);
      JsonNode subject = binding.path("subjects").get(0);
      assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
      assertThat(subject.path("name").asText()).isEqualTo(serviceAccount);
      assertThat(subject.path("namespace").asText()).isEqualTo(RenderedChart.NAMESPACE);
      assertThat(chart.one("ServiceAccount").path("metadata").path("name").asText())
          .isEqualTo(serviceAccount);
    }
  }

  @Test
  void threeReplicasRequireThreeContactPointsAmongTheReleasesPods() {
    RenderedChart chart = render("tsdb", "replicaCount: 3");

    Map<String, JsonNode> env = chart.env();
    assertThat(env.get("MERIDIAN_REQUIRED_CONTACT_POINTS").path("value").asText()).isEqualTo("3");
    assertThat(env.get("MERIDIAN_CLUSTER_BOOTSTRAP").path("value").asText()).isEqualTo("on");
    assertThat(env.get("MERIDIAN_POD_LABEL_SELECTOR").path("value").asText())
        .isEqualTo("app.kubernetes.io/name=meridian,app.kubernetes.io/instance=tsdb");
    assertThat(
            render("tsdb", "replicaCount: 5")
                .env()
                .get("MERIDIAN_REQUIRED_CONTACT_POINTS")
                .path("value")
                .asText())
        .isEqualTo("5");
    assertThat(
            render("tsdb", "{replicaCount: 5, cluster: {requiredContactPoints: 2}}")
                .env()
                .get("MERIDIAN_REQUIRED_CONTACT_POINTS")
                .path("value")
                .asText())
        .isEqualTo("2");
  }

  @Test
  void theAutoscalerOwnsTheReplicaCountAndItsMinimumFormsTheCluster() {
    RenderedChart chart =
        render(
            "tsdb",
            "{replicaCount: 3, autoscaling: {enabled: true, minReplicas: 4, maxReplicas: 8}}");

    JsonNode hpa = chart.one("HorizontalPodAutoscaler");
    assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    assertThat(strings(hpa.path("spec").path("scaleTargetRef")))
        .containsEntry("apiVersion", "apps/v1")
        .containsEntry("kind", "Deployment")
        .containsEntry("name", "tsdb-meridian");
    assertThat(hpa.path("spec").path("minReplicas").asInt()).isEqualTo(4);
    assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(8);
    assertThat(chart.one("Deployment").path("spec").has("replicas")).isFalse();
    assertThat(chart.env().get("MERIDIAN_REQUIRED_CONTACT_POINTS").path("value").asText())
        .isEqualTo("4");
    assertThat(render("tsdb", "").ofKind("HorizontalPodAutoscaler")).isEmpty();
  }

  @Test
  void secretsReachTheNodeOnlyThroughSecretReferences() {
    RenderedChart chart =
        render(
            "tsdb",
            """
            auth:
              adminToken: %s
            cassandra:
              username: meridian
              password: cassandra-secret
            """
                .formatted(TOKEN));

    Map<String, JsonNode> env = chart.env();
    assertThat(chart.container().toString()).doesNotContain(TOKEN, "cassandra-secret");
    assertThat(chart.named("ConfigMap", "tsdb-meridian").toString())
        .doesNotContain(TOKEN, "cassandra-secret");
    assertThat(secretRef(env.get("MERIDIAN_ADMIN_TOKEN"))).isEqualTo("tsdb-meridian/admin-token");
    assertThat(secretRef(env.get("MERIDIAN_CASSANDRA_PASSWORD")))
        .isEqualTo("tsdb-meridian-cassandra/cassandra-password");
    assertThat(chart.secretValue("tsdb-meridian", "admin-token")).isEqualTo(TOKEN);
    assertThat(chart.secretValue("tsdb-meridian-cassandra", "cassandra-password"))
        .isEqualTo("cassandra-secret");
    assertThat(
            chart.named("Secret", "tsdb-meridian").path("metadata").path("annotations").isEmpty())
        .isTrue();
  }

  @Test
  void aGeneratedAdminTokenIsLongEnoughAndKeptAcrossUpgrades() {
    RenderedChart chart = render("tsdb", "");

    assertThat(chart.secretValue("tsdb-meridian", "admin-token")).hasSizeGreaterThanOrEqualTo(32);
    assertThat(
            chart
                .named("Secret", "tsdb-meridian")
                .path("metadata")
                .path("annotations")
                .path("helm.sh/resource-policy")
                .asText())
        .isEqualTo("keep");
  }

  @Test
  void anExistingSecretReplacesTheChartsSecrets() {
    RenderedChart chart =
        render(
            "tsdb",
            """
            existingSecret: meridian-credentials
            auth:
              adminToken: %s
            cassandra:
              username: meridian
              password: ignored
            """
                .formatted(TOKEN));

    assertThat(chart.ofKind("Secret")).isEmpty();
    Map<String, JsonNode> env = chart.env();
    assertThat(secretRef(env.get("MERIDIAN_ADMIN_TOKEN")))
        .isEqualTo("meridian-credentials/admin-token");
    assertThat(secretRef(env.get("MERIDIAN_CASSANDRA_PASSWORD")))
        .isEqualTo("meridian-credentials/cassandra-password");
    assertThat(chart.manifests().toString()).doesNotContain(TOKEN);
  }

  private static String secretRef(JsonNode entry) {
    assertThat(entry.has("value")).as("%s has a plain value", entry).isFalse();
    JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
    return ref.path("name").asText() + "/" + ref.path("key").asText();
  }

  @Test
  void badValuesAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> render("tsdb", "auth: {adminToken: too-short}"))
        .hasMessageContaining("auth.adminToken must be at least 32 characters");
    assertThatThrownBy(() -> render("tsdb", "cassandra: {contactPoints: []}"))
        .hasMessageContaining("cassandra.contactPoints");
    assertThatThrownBy(() -> render("tsdb", "cassandra: {username: meridian}"))
        .hasMessageContaining("cassandra.password");
  }

  @Test
  void podsGetLongerToShutDownThanTheNodesWholeCoordinatedShutdown() {
    JsonNode pod = render("tsdb", "").podSpec();

    assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong()))
        .isGreaterThan(CoordinatedShutdownBudget.worstCase(ConfigFactory.load()));
  }

  @Test
  void theConfigFileIsMountedWhereMeridianConfigNamesIt() {
    RenderedChart chart = render("tsdb", "config: |\n  meridian.series.groups = 32\n");

    assertThat(
            chart.named("ConfigMap", "tsdb-meridian").path("data").path("meridian.conf").asText())
        .contains("meridian.series.groups = 32");
    assertThat(chart.env().get("MERIDIAN_CONFIG").path("value").asText())
        .isEqualTo("/etc/meridian/meridian.conf");
    JsonNode mount = chart.container().path("volumeMounts").get(0);
    assertThat(mount.path("name").asText()).isEqualTo("config");
    assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/meridian");
    assertThat(chart.podSpec().path("volumes").get(0).path("configMap").path("name").asText())
        .isEqualTo("tsdb-meridian");
  }
}
