package io.meridian.http.openmetrics;

import static io.meridian.http.openmetrics.JobsApiTest.fieldNames;
import static io.meridian.http.openmetrics.OpenMetricsServer.body;
import static io.meridian.http.openmetrics.OpenMetricsServer.envelope;
import static io.meridian.http.openmetrics.OpenMetricsServer.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenMetrics jobs API served by a node (its HTTP server, its {@code ScrapeService} and the
 * project catalogs on the in-memory journal): the documented flow from servers to targets, the
 * catalog's own refusals answered in the envelope, a catalog that cannot persist answered 503, and
 * the API's 503 when the node is not an Up member.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenMetricsOnNodeTest {

  private static final String MEMBER = "0f8fad5b-d9cb-469f-a165-70867728950e";
  private static final Pattern YMDT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");

  private final AtomicReference<MemberStatus> status = new AtomicReference<>(MemberStatus.up());
  private InMemoryNode node;

  @BeforeAll
  void start() {
    node =
        InMemoryNode.start(
            "OpenMetricsOnNodeTest",
            "meridian.http.retry-after = 7s\n"
                + "meridian.scrape.ask-timeout = 2s\n"
                + "meridian.scrape.servers { real = [ { hostNm = \"web-1\", svrIp = \"127.0.0.1\","
                + " instanceId = \"i-1\" } ] }\n",
            status::get);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @AfterEach
  void up() {
    status.set(MemberStatus.up());
    node.journal().resetPolicy();
  }

  private HttpResponse<String> json(String method, String path, String body) {
    return node.send(method, path, body, "Content-Type", "application/json");
  }

  @Test
  void jobsAndTargetsFollowTheDocumentedFlow() {
    JsonNode servers = body(node.send("GET", "/v1.0/projects/real/servers", null));
    assertThat(servers).hasSize(1);
    assertThat(fieldNames(servers.get(0)))
        .containsExactly("hostId", "hostNm", "svrIp", "projectId", "instanceId");
    assertThat(servers.get(0).get("hostNm").asText()).isEqualTo("web-1");
    assertThat(servers.get(0).get("projectId").asText()).isEqualTo("real");
    String hostId = servers.get(0).get("hostId").asText();

    JsonNode job =
        body(
            json(
                "POST",
                "/v1.0/projects/real/jobs?memberId=" + MEMBER,
                "{\"jobName\":\"node\",\"metricsPath\":\"/metricPath\",\"description\":\"d\"}"));
    String jobId = job.get("jobId").asText();
    assertThat(job.get("projectId").asText()).isEqualTo("real");
    assertThat(job.get("lstModifier").asText()).isEqualTo(MEMBER);
    assertThat(job.get("lstModYmdt").asText()).matches(YMDT);
    assertThat(job.get("reservedJobCd").isNull()).isTrue();
    assertThat(job.get("scrapeIntervalSec").asInt()).isEqualTo(15);
    assertThat(job.get("scrapeTimeoutSec").asInt()).isEqualTo(10);
    assertThat(body(node.send("GET", "/v1.0/projects/real/jobs", null)).get(0)).isEqualTo(job);

    String targetId =
        body(json(
                "POST",
                "/v1.0/projects/real/jobs/" + jobId + "/targets",
                "{\"description\":\"exporter\",\"hostId\":\"" + hostId + "\",\"port\":\"9100\"}"))
            .asText();
    JsonNode target =
        body(node.send("GET", "/v1.0/projects/real/jobs/" + jobId + "/targets/" + targetId, null));
    assertThat(target.get("port").asInt()).isEqualTo(9100);
    assertThat(target.get("hostNm").asText()).isEqualTo("web-1");
    assertThat(target.get("svrIp").asText()).isEqualTo("127.0.0.1");
    assertThat(target.get("lstModifier").isNull()).isTrue();
    assertThat(target.get("lstModYmdt").asText()).matches(YMDT);
    assertThat(target.get("description").asText()).isEqualTo("exporter");
    assertThat(body(node.send("GET", "/v1.0/projects/real/jobs/" + jobId + "/targets", null)))
        .extracting(t -> t.get("targetId").asText())
        .containsExactly(targetId);

    JsonNode changed =
        body(
            json(
                "PUT",
                "/v1.0/projects/real/jobs/" + jobId,
                "{\"metricsPath\":\"/updatemetricsPath\",\"scrapeIntervalSec\":30}"));
    assertThat(changed.get("metricsPath").asText()).isEqualTo("/updatemetricsPath");
    assertThat(changed.get("scrapeIntervalSec").asInt()).isEqualTo(30);
    assertThat(changed.get("lstModifier").isNull()).isTrue();

    String targetPath = "/v1.0/projects/real/jobs/" + jobId + "/targets/" + targetId;
    assertThat(body(node.send("DELETE", targetPath + "?memberId=" + MEMBER, null)).asText())
        .isEqualTo(targetId);
    refused(node.send("GET", targetPath, null), 200, -40007);
    assertThat(
            body(node.send(
                    "DELETE", "/v1.0/projects/real/jobs/" + jobId + "?memberId=" + MEMBER, null))
                .asText())
        .isEqualTo(jobId);
    refused(node.send("GET", "/v1.0/projects/real/jobs/" + jobId, null), 200, -40006);
  }

  @Test
  void theCatalogsRefusalsAreAnsweredInTheEnvelope() {
    body(json("POST", "/v1.0/projects/refusals/jobs", "{\"jobName\":\"taken\"}"));
    String jobId =
        body(node.send("GET", "/v1.0/projects/refusals/jobs", null)).get(0).get("jobId").asText();
    String targets = "/v1.0/projects/refusals/jobs/" + jobId + "/targets";
    String hostId =
        body(json(
                "POST",
                "/v1.0/projects/refusals/servers",
                "{\"hostNm\":\"h\",\"svrIp\":\"10.0.0.1\"}"))
            .get("hostId")
            .asText();

    assertThat(
            refused(
                json("POST", "/v1.0/projects/refusals/jobs", "{\"jobName\":\"taken\"}"),
                200,
                -40001))
        .contains("taken");
    assertThat(
            refused(
                json(
                    "POST",
                    "/v1.0/projects/refusals/jobs",
                    "{\"jobName\":\"p\",\"metricsPath\":\"metrics\"}"),
                200,
                -40002))
        .contains("metricsPath");
    assertThat(
            refused(
                json("PUT", "/v1.0/projects/refusals/jobs/" + jobId, "{\"scrapeIntervalSec\":0}"),
                200,
                -40002))
        .contains("scrapeIntervalSec");
    assertThat(
            refused(
                json("POST", targets, "{\"hostId\":\"" + hostId + "\",\"port\":70000}"),
                200,
                -40002))
        .contains("port");
    assertThat(
            refused(json("POST", targets, "{\"hostId\":\"nowhere\",\"port\":9100}"), 200, -40004))
        .isNotEmpty();
    assertThat(refused(node.send("GET", targets + "/none", null), 200, -40007)).contains("none");
    assertThat(refused(node.send("GET", "/v1.0/projects/refusals/jobs/none", null), 200, -40006))
        .contains("none");
    assertThat(
            refused(
                json(
                    "POST",
                    "/v1.0/projects/refusals/servers",
                    "{\"hostNm\":\"x\",\"svrIp\":\"not an address\"}"),
                200,
                -40002))
        .contains("svrIp");
    assertThat(
            refused(node.send("DELETE", "/v1.0/projects/refusals/servers/none", null), 200, -40004))
        .isNotEmpty();
    assertThat(
            body(node.send("DELETE", "/v1.0/projects/refusals/servers/" + hostId, null)).asText())
        .isEqualTo(hostId);
  }

  @Test
  void aConfiguredServerCannotBeDeregistered() {
    String hostId =
        body(node.send("GET", "/v1.0/projects/real/servers", null)).get(0).get("hostId").asText();

    refused(node.send("DELETE", "/v1.0/projects/real/servers/" + hostId, null), 200, -40004);
    assertThat(body(node.send("GET", "/v1.0/projects/real/servers", null))).hasSize(1);
  }

  @Test
  void aCatalogThatCannotPersistIsAnswered503WithRetryAfter() {
    body(node.send("GET", "/v1.0/projects/down/jobs", null));
    node.journal().failNextNPersisted("ScrapeCatalog|down", 1);

    HttpResponse<String> response =
        json("POST", "/v1.0/projects/down/jobs", "{\"jobName\":\"lost\"}");

    assertThat(refused(response, 503, -50000)).contains("unavailable");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
  }

  @Test
  void aNodeThatIsNotUpAnswersWithTheEnvelope() {
    status.set(MemberStatus.leaving());

    HttpResponse<String> response = node.send("GET", "/v1.0/projects/real/jobs", null);

    assertThat(refused(response, 503, -50000)).contains("retry on another node");
    assertThat(envelope(response, 503).at("/header/resultMessage").asText())
        .isEqualTo("INTERNAL_SERVER_ERROR");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
  }
}
