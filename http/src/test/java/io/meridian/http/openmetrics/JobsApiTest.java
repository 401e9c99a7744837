package io.meridian.http.openmetrics;

import static io.meridian.http.openmetrics.OpenMetricsServer.body;
import static io.meridian.http.openmetrics.OpenMetricsServer.envelope;
import static io.meridian.http.openmetrics.OpenMetricsServer.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The jobs ("workspaces") endpoints answer as System Monitoring documents them: the envelope, the
 * job's fields in their order, {@code lstModYmdt} in the configured zone, and the result codes of
 * duplicate names and unknown jobs in HTTP 200 answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsApiTest {

  private static final String MEMBER = "0f8fad5b-d9cb-469f-a165-70867728950e";

  private OpenMetricsServer api;

  @BeforeAll
  void start() {
    api = new OpenMetricsServer("JobsApiTest", "meridian.scrape.time-zone = \"Asia/Seoul\"\n");
  }

  @AfterAll
  void stop() {
    api.close();
  }

  private JsonNode create(String project, String json) {
    return body(api.sendJson("POST", "/v1.0/projects/" + project + "/jobs", json));
  }

  @Test
  void aCreatedJobIsAnsweredInTheDocumentedEnvelopeAndFieldOrder() {
    var response =
        api.sendJson(
            "POST",
            "/v1.0/projects/order/jobs",
            "{\"jobName\": \"jobName\", \"metricsPath\": \"/metricPath\","
                + " \"description\": \"description\"}",
            "X-TC-APP-KEY",
            "appkey",
            "X-SYSMON-REGION",
            "kr");

    JsonNode envelope = envelope(response, 200);
    assertThat(fieldNames(envelope)).containsExactly("header", "body");
    assertThat(envelope.get("header").toString())
        .isEqualTo("{\"isSuccessful\":true,\"resultCode\":0,\"resultMessage\":\"SUCCESS\"}");
    JsonNode job = envelope.get("body");
    assertThat(fieldNames(job))
        .containsExactly(
            "jobId",
            "projectId",
            "jobName",
            "metricsPath",
            "description",
            "lstModifier",
            "lstModYmdt",
            "reservedJobCd",
            "scrapeIntervalSec",
            "scrapeTimeoutSec");
    assertThat(job.get("jobId").asText()).isNotEmpty();
    assertThat(job.get("projectId").asText()).isEqualTo("order");
    assertThat(job.get("jobName").asText()).isEqualTo("jobName");
    assertThat(job.get("metricsPath").asText()).isEqualTo("/metricPath");
    assertThat(job.get("description").asText()).isEqualTo("description");
    assertThat(job.get("lstModifier").isNull()).isTrue();
    assertThat(job.get("reservedJobCd").isNull()).isTrue();
    assertThat(job.get("scrapeIntervalSec").asInt()).isEqualTo(15);
    assertThat(job.get("scrapeTimeoutSec").asInt()).isEqualTo(10);
  }

  @Test
  void lstModYmdtIsTheLocalDateTimeToTheSecondInTheConfiguredZone() {
    JsonNode job = create("ymdt", "{\"jobName\":\"node\"}");

    // 2021-08-17T01:32:09.500Z in Asia/Seoul (UTC+9), without the fraction.
    assertThat(job.get("lstModYmdt").asText()).isEqualTo("2021-08-17T10:32:09");
  }

  @Test
  void theExtensionFieldsAndMemberIdArePassedOn() {
    var job =
        body(
            api.sendJson(
                "POST",
                "/v1.0/projects/ext/jobs?memberId=" + MEMBER,
                "{\"jobName\":\"fast\",\"scrapeIntervalSec\":5,\"scrapeTimeoutSec\":2}"));

    assertThat(job.get("lstModifier").asText()).isEqualTo(MEMBER);
    assertThat(job.get("metricsPath").asText()).isEqualTo("/metrics");
    assertThat(job.get("scrapeIntervalSec").asInt()).isEqualTo(5);
    assertThat(job.get("scrapeTimeoutSec").asInt()).isEqualTo(2);
  }

  @Test
  void jobsAreListedAndReadOneByOne() {
    String first = create("list", "{\"jobName\":\"a\"}").get("jobId").asText();
    create("list", "{\"jobName\":\"b\"}");

    JsonNode jobs = body(api.send("GET", "/v1.0/projects/list/jobs", null));
    assertThat(jobs.isArray()).isTrue();
    assertThat(jobs.findValuesAsText("jobName")).containsExactly("a", "b");
    assertThat(fieldNames(jobs.get(0))).startsWith("jobId", "projectId", "jobName");

    JsonNode one = body(api.send("GET", "/v1.0/projects/list/jobs/" + first, null));
    assertThat(one).isEqualTo(jobs.get(0));
    assertThat(body(api.send("GET", "/v1.0/projects/list/jobs/" + first + "/", null)))
        .isEqualTo(one);
  }

  @Test
  void anEmptyProjectHasAnEmptyList() {
    assertThat(body(api.send("GET", "/v1.0/projects/empty/jobs", null)).toString()).isEqualTo("[]");
  }

  @Test
  void aPutChangesPathAndDescriptionAndKeepsTheName() {
    String jobId = create("put", "{\"jobName\":\"web\"}").get("jobId").asText();

    JsonNode changed =
        body(
            api.sendJson(
                "PUT",
                "/v1.0/projects/put/jobs/" + jobId + "?memberId=" + MEMBER,
                "{\"metricsPath\": \"/updatemetricsPath\", \"description\":"
                    + " \"updatedescription\"}"));

    assertThat(changed.get("jobId").asText()).isEqualTo(jobId);
    assertThat(changed.get("jobName").asText()).isEqualTo("web");
    assertThat(changed.get("metricsPath").asText()).isEqualTo("/updatemetricsPath");
    assertThat(changed.get("description").asText()).isEqualTo("updatedescription");
    assertThat(changed.get("lstModifier").asText()).isEqualTo(MEMBER);
    assertThat(changed.get("lstModYmdt").asText()).isEqualTo("2021-08-17T10:33:09");
  }

  @Test
  void aDeleteAnswersTheJobIdAndTheJobIsGone() {
    String jobId = create("delete", "{\"jobName\":\"gone\"}").get("jobId").asText();

    var response =
        api.send("DELETE", "/v1.0/projects/delete/jobs/" + jobId + "?memberId=" + MEMBER, null);

    assertThat(envelope(response, 200).toString())
        .isEqualTo(
            "{\"header\":{\"isSuccessful\":true,\"resultCode\":0,\"resultMessage\":\"SUCCESS\"},"
                + "\"body\":\""
                + jobId
                + "\"}");
    assertThat(refused(api.send("GET", "/v1.0/projects/delete/jobs/" + jobId, null), 200, -40006))
        .contains(jobId);
  }

  @Test
  void aSecondJobOfTheSameNameIsAlreadyExist() {
    create("dup", "{\"jobName\":\"same\"}");

    var response = api.sendJson("POST", "/v1.0/projects/dup/jobs", "{\"jobName\":\"same\"}");

    assertThat(refused(response, 200, -40001)).contains("same");
    assertThat(envelope(response, 200).at("/header/resultMessage").asText())
        .isEqualTo("ALREADY_EXIST");
    // Another project may use the name.
    create("dup-other", "{\"jobName\":\"same\"}");
  }

  @Test
  void everyEndpointOfAnUnknownJobIsNotFoundJob() {
    String job = "/v1.0/projects/unknown/jobs/no-such-job";
    List<java.net.http.HttpResponse<String>> responses =
        List.of(
            api.send("GET", job, null),
            api.sendJson("PUT", job, "{\"description\":\"x\"}"),
            api.send("DELETE", job + "?memberId=" + MEMBER, null),
            api.send("GET", job + "/targets", null),
            api.sendJson("POST", job + "/targets", "{\"hostId\":\"h\",\"port\":9100}"),
            api.send("GET", job + "/targets/t", null),
            api.send("DELETE", job + "/targets/t?memberId=" + MEMBER, null));
    for (var response : responses) {
      assertThat(refused(response, 200, -40006)).contains("no-such-job");
      assertThat(envelope(response, 200).at("/header/resultMessage").asText())
          .isEqualTo("NOT_FOUND_JOB");
    }
  }

  @Test
  void aDeleteNeedsAMemberIdThatIsAUuid() {
    String jobId = create("member", "{\"jobName\":\"kept\"}").get("jobId").asText();
    String job = "/v1.0/projects/member/jobs/" + jobId;

    assertThat(refused(api.send("DELETE", job, null), 200, -40002)).contains("memberId");
    assertThat(refused(api.send("DELETE", job + "?memberId=bob", null), 200, -40002))
        .contains("memberId", "UUID");
    assertThat(refused(api.send("DELETE", job + "?memberId=", null), 200, -40002))
        .contains("memberId");
    assertThat(
            refused(
                api.send("DELETE", job + "?memberId=" + MEMBER + "&memberId=" + MEMBER, null),
                200,
                -40002))
        .contains("more than once");
    // Nothing was deleted.
    body(api.send("GET", job, null));
  }

  @Test
  void aMemberIdOnAPostOrPutMustBeAUuidToo() {
    assertThat(
            refused(
                api.sendJson("POST", "/v1.0/projects/m2/jobs?memberId=1", "{\"jobName\":\"x\"}"),
                200,
                -40002))
        .contains("memberId");
    assertThat(body(api.send("GET", "/v1.0/projects/m2/jobs", null))).isEmpty();
  }

  static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
