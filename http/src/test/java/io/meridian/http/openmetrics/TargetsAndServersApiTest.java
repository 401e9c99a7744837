package io.meridian.http.openmetrics;

import static io.meridian.http.openmetrics.JobsApiTest.fieldNames;
import static io.meridian.http.openmetrics.OpenMetricsServer.body;
import static io.meridian.http.openmetrics.OpenMetricsServer.envelope;
import static io.meridian.http.openmetrics.OpenMetricsServer.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.protocol.scrape.TargetHealth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The targets and servers endpoints answer as System Monitoring documents them: targets with their
 * server's name and address and their last scrape (null before the first), servers in their field
 * order, the created target's id as a string, and the result codes of unknown hosts and targets;
 * servers are registered and removed through this API's extension.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TargetsAndServersApiTest {

  private static final String MEMBER = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

  private OpenMetricsServer api;

  @BeforeAll
  void start() {
    api = new OpenMetricsServer("TargetsAndServersApiTest", "");
  }

  @AfterAll
  void stop() {
    api.close();
  }

  private String job(String project, String name) {
    return body(api.sendJson(
            "POST", "/v1.0/projects/" + project + "/jobs", "{\"jobName\":\"" + name + "\"}"))
        .get("jobId")
        .asText();
  }

  private JsonNode server(String project, String json) {
    return body(api.sendJson("POST", "/v1.0/projects/" + project + "/servers", json));
  }

  @Test
  void aRegisteredServerIsListedInTheDocumentedFieldOrder() {
    JsonNode registered =
        server(
            "srv",
            "{\"hostNm\":\"hostNm\",\"svrIp\":\"192.168.0.5\",\"instanceId\":\"instanceId\"}");

    JsonNode servers =
        body(
            api.send(
                "GET",
                "/v1.0/projects/srv/servers",
                null,
                "X-TC-APP-KEY",
                "k",
                "X-SYSMON-REGION",
                "kr"));

    assertThat(servers).hasSize(1);
    JsonNode server = servers.get(0);
    assertThat(server).isEqualTo(registered);
    assertThat(fieldNames(server))
        .containsExactly("hostId", "hostNm", "svrIp", "projectId", "instanceId");
    assertThat(server.get("hostNm").asText()).isEqualTo("hostNm");
    assertThat(server.get("svrIp").asText()).isEqualTo("192.168.0.5");
    assertThat(server.get("projectId").asText()).isEqualTo("srv");
    assertThat(server.get("instanceId").asText()).isEqualTo("instanceId");
  }

  @Test
  void aServerWithoutInstanceIdHasNull() {
    JsonNode server = server("srv-null", "{\"hostNm\":\"db\",\"svrIp\":\"10.0.0.1\"}");

    assertThat(server.get("instanceId").isNull()).isTrue();
  }

  @Test
  void aServerIsDeregisteredByItsHostId() {
    String hostId =
        server("srv-del", "{\"hostNm\":\"old\",\"svrIp\":\"10.0.0.2\"}").get("hostId").asText();

    assertThat(body(api.send("DELETE", "/v1.0/projects/srv-del/servers/" + hostId, null)).asText())
        .isEqualTo(hostId);
    assertThat(body(api.send("GET", "/v1.0/projects/srv-del/servers", null))).isEmpty();
    assertThat(
            refused(
                api.send("DELETE", "/v1.0/projects/srv-del/servers/" + hostId, null), 200, -40004))
        .contains(hostId);
  }

  @Test
  void aSecondServerOfTheSameNameIsAlreadyExist() {
    server("srv-dup", "{\"hostNm\":\"same\",\"svrIp\":\"10.0.0.3\"}");

    assertThat(
            refused(
                api.sendJson(
                    "POST",
                    "/v1.0/projects/srv-dup/servers",
                    "{\"hostNm\":\"same\",\"svrIp\":\"10.0.0.4\"}"),
                200,
                -40001))
        .contains("same");
  }

  @Test
  void aCreatedTargetIsAnsweredByItsIdAndListedWithItsServer() {
    String jobId = job("tgt", "node");
    String hostId =
        server("tgt", "{\"hostNm\":\"hostNm\",\"svrIp\":\"192.168.0.5\"}").get("hostId").asText();

    var created =
        api.sendJson(
            "POST",
            "/v1.0/projects/tgt/jobs/" + jobId + "/targets?memberId=" + MEMBER,
            "{\"description\": \"description\", \"hostId\": \"" + hostId + "\", \"port\": 9100}");

    JsonNode id = body(created);
    assertThat(id.isTextual()).isTrue();
    JsonNode targets = body(api.send("GET", "/v1.0/projects/tgt/jobs/" + jobId + "/targets", null));
    assertThat(targets).hasSize(1);
    JsonNode target = targets.get(0);
    assertThat(fieldNames(target))
        .containsExactly(
            "targetId",
            "jobId",
            "hostId",
            "port",
            "resultCd",
            "failReason",
            "mntrnStatCd",
            "lstModifier",
            "lstModYmdt",
            "hostNm",
            "svrIp",
            "description");
    assertThat(target.get("targetId").asText()).isEqualTo(id.asText());
    assertThat(target.get("jobId").asText()).isEqualTo(jobId);
    assertThat(target.get("hostId").asText()).isEqualTo(hostId);
    assertThat(target.get("port").isInt()).isTrue();
    assertThat(target.get("port").asInt()).isEqualTo(9100);
    assertThat(target.get("lstModifier").asText()).isEqualTo(MEMBER);
    // UTC by default: 2021-08-17T01:32:09.500Z.
    assertThat(target.get("lstModYmdt").asText()).isEqualTo("2021-08-17T01:32:09");
    assertThat(target.get("hostNm").asText()).isEqualTo("hostNm");
    assertThat(target.get("svrIp").asText()).isEqualTo("192.168.0.5");
    assertThat(target.get("description").asText()).isEqualTo("description");
    assertThat(
            body(
                api.send(
                    "GET", "/v1.0/projects/tgt/jobs/" + jobId + "/targets/" + id.asText(), null)))
        .isEqualTo(target);
  }

  @Test
  void healthIsNullBeforeTheFirstScrapeAndTheLastScrapeAfter() {
    String jobId = job("health", "node");
    String hostId =
        server("health", "{\"hostNm\":\"h\",\"svrIp\":\"10.0.0.9\"}").get("hostId").asText();
    String targetId =
        body(api.sendJson(
                "POST",
                "/v1.0/projects/health/jobs/" + jobId + "/targets",
                "{\"hostId\":\"" + hostId + "\",\"port\":9100}"))
            .asText();
    String path = "/v1.0/projects/health/jobs/" + jobId + "/targets/" + targetId;

    JsonNode before = body(api.send("GET", path, null));
    assertThat(before.get("resultCd").isNull()).isTrue();
    assertThat(before.get("failReason").isNull()).isTrue();
    assertThat(before.get("mntrnStatCd").isNull()).isTrue();
    assertThat(before.get("lstModifier").isNull()).isTrue();

    api.service()
        .report(
            "health", targetId, TargetHealth.down(TargetHealth.TIMEOUT, "timed out after 10s", 1L));
    JsonNode down = body(api.send("GET", path, null));
    assertThat(down.get("resultCd").asInt()).isEqualTo(3);
    assertThat(down.get("failReason").asText()).isEqualTo("timed out after 10s");
    assertThat(down.get("mntrnStatCd").asText()).isEqualTo("DOWN");

    api.service().report("health", targetId, TargetHealth.up(2L));
    JsonNode up = body(api.send("GET", path, null));
    assertThat(up.get("resultCd").asInt()).isZero();
    assertThat(up.get("failReason").isNull()).isTrue();
    assertThat(up.get("mntrnStatCd").asText()).isEqualTo("UP");
  }

  @Test
  void aPortMayBeAStringOfDigitsAsTheDocumentedExampleSendsIt() {
    String jobId = job("port", "node");
    String hostId =
        server("port", "{\"hostNm\":\"h\",\"svrIp\":\"10.0.0.8\"}").get("hostId").asText();

    String targetId =
        body(api.sendJson(
                "POST",
                "/v1.0/projects/port/jobs/" + jobId + "/targets",
                "{\"hostId\":\"" + hostId + "\",\"port\":\"9256\"}"))
            .asText();

    assertThat(
            body(api.send(
                    "GET", "/v1.0/projects/port/jobs/" + jobId + "/targets/" + targetId, null))
                .get("port")
                .asInt())
        .isEqualTo(9256);
  }

  @Test
  void aTargetOnAnUnknownHostIsInvalidHostOrProject() {
    String jobId = job("nohost", "node");

    var response =
        api.sendJson(
            "POST",
            "/v1.0/projects/nohost/jobs/" + jobId + "/targets",
            "{\"hostId\":\"no-such-host\",\"port\":9100}");

    assertThat(refused(response, 200, -40004)).contains("no-such-host");
    assertThat(envelope(response, 200).at("/header/resultMessage").asText())
        .isEqualTo("INVALID_HOST_OR_PROJECT");
  }

  @Test
  void anUnknownTargetIsNotFoundTarget() {
    String jobId = job("notarget", "node");
    String target = "/v1.0/projects/notarget/jobs/" + jobId + "/targets/no-such-target";

    for (var response :
        java.util.List.of(
            api.send("GET", target, null),
            api.send("DELETE", target + "?memberId=" + MEMBER, null))) {
      assertThat(refused(response, 200, -40007)).contains("no-such-target");
      assertThat(envelope(response, 200).at("/header/resultMessage").asText())
          .isEqualTo("NOT_FOUND_TARGET");
    }
  }

  @Test
  void aDeletedTargetIsAnsweredByItsIdAndGone() {
    String jobId = job("tdel", "node");
    String hostId =
        server("tdel", "{\"hostNm\":\"h\",\"svrIp\":\"10.0.0.7\"}").get("hostId").asText();
    String targetId =
        body(api.sendJson(
                "POST",
                "/v1.0/projects/tdel/jobs/" + jobId + "/targets",
                "{\"hostId\":\"" + hostId + "\",\"port\":9100}"))
            .asText();
    String target = "/v1.0/projects/tdel/jobs/" + jobId + "/targets/" + targetId;

    assertThat(refused(api.send("DELETE", target, null), 200, -40002)).contains("memberId");
    assertThat(refused(api.send("DELETE", target + "?memberId=x", null), 200, -40002))
        .contains("UUID");
    assertThat(body(api.send("DELETE", target + "?memberId=" + MEMBER, null)).asText())
        .isEqualTo(targetId);
    assertThat(body(api.send("GET", "/v1.0/projects/tdel/jobs/" + jobId + "/targets", null)))
        .isEmpty();
  }
}
