package io.meridian.http.openmetrics;

import static io.meridian.http.openmetrics.OpenMetricsServer.body;
import static io.meridian.http.openmetrics.OpenMetricsServer.refused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A body that is not a JSON object of the resource's fields, each of its type, is refused with
 * BAD_INPUT_VALUE (HTTP 200) and a {@code resultDetail} naming what is wrong, and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestBodyValidationTest {

  private static final String JOBS = "/v1.0/projects/bodies/jobs";

  private OpenMetricsServer api;
  private String jobPath;
  private String targetsPath;
  private String hostId;

  @BeforeAll
  void start() {
    api = new OpenMetricsServer("RequestBodyValidationTest", "");
    jobPath =
        JOBS
            + "/"
            + body(api.sendJson("POST", JOBS, "{\"jobName\":\"kept\"}")).get("jobId").asText();
    targetsPath = jobPath + "/targets";
    hostId =
        body(api.sendJson(
                "POST",
                "/v1.0/projects/bodies/servers",
                "{\"hostNm\":\"h\",\"svrIp\":\"10.1.1.1\"}"))
            .get("hostId")
            .asText();
  }

  @AfterAll
  void stop() {
    api.close();
  }

  private String badJob(String json) {
    return refused(api.sendJson("POST", JOBS, json), 200, -40002);
  }

  private String badChange(String json) {
    return refused(api.sendJson("PUT", jobPath, json), 200, -40002);
  }

  private String badTarget(String json) {
    return refused(api.sendJson("POST", targetsPath, json), 200, -40002);
  }

  @Test
  void malformedJsonIsBadInputValue() {
    assertThat(badJob("{\"jobName\": ")).contains("not valid JSON");
    assertThat(badJob("{\"jobName\":\"a\"} {\"jobName\":\"b\"}")).contains("not valid JSON");
    assertThat(badJob("{\"jobName\":\"a\",\"jobName\":\"b\"}")).contains("jobName");
    assertThat(badChange("{description:1}")).contains("not valid JSON");
    assertThat(badTarget("[")).contains("not valid JSON");
  }

  @Test
  void anEmptyBodyIsBadInputValue() {
    assertThat(badJob("")).contains("empty");
    assertThat(badChange("  ")).contains("empty");
    assertThat(badTarget("")).contains("empty");
  }

  @Test
  void aBodyThatIsNoObjectIsBadInputValue() {
    assertThat(badJob("[{\"jobName\":\"a\"}]")).contains("JSON object", "an array");
    assertThat(badJob("\"a\"")).contains("JSON object");
    assertThat(badTarget("null")).contains("JSON object");
  }

  @Test
  void aBodyNotDeclaredJsonIsBadInputValue() {
    assertThat(
            refused(
                api.send("POST", JOBS, "{\"jobName\":\"plain\"}", "Content-Type", "text/plain"),
                200,
                -40002))
        .contains("Content-Type: application/json");
    assertThat(refused(api.send("POST", JOBS, "{\"jobName\":\"none\"}"), 200, -40002))
        .contains("application/json");
    assertThat(
            refused(
                api.send(
                    "POST",
                    JOBS,
                    "jobName=form",
                    "Content-Type",
                    "application/x-www-form-urlencoded"),
                200,
                -40002))
        .contains("application/json");
    // A charset parameter is fine.
    body(
        api.send(
            "POST",
            JOBS,
            "{\"jobName\":\"utf8\"}",
            "Content-Type",
            "application/json; charset=UTF-8"));
  }

  @Test
  void unknownFieldsAreBadInputValue() {
    assertThat(badJob("{\"jobName\":\"x\",\"interval\":5}")).contains("\"interval\"", "jobName");
    assertThat(badTarget("{\"hostId\":\"h\",\"port\":1,\"path\":\"/\"}")).contains("\"path\"");
    assertThat(
            refused(
                api.sendJson(
                    "POST",
                    "/v1.0/projects/bodies/servers",
                    "{\"hostNm\":\"x\",\"svrIp\":\"1.2.3.4\",\"ip\":\"1.2.3.4\"}"),
                200,
                -40002))
        .contains("\"ip\"");
  }

  @Test
  void missingRequiredFieldsAreBadInputValue() {
    assertThat(badJob("{}")).contains("\"jobName\" is required");
    assertThat(badJob("{\"jobName\":null,\"metricsPath\":\"/m\"}"))
        .contains("\"jobName\" is required");
    assertThat(badTarget("{\"port\":9100}")).contains("\"hostId\" is required");
    assertThat(badTarget("{\"hostId\":\"" + hostId + "\"}")).contains("\"port\" is required");
    assertThat(
            refused(
                api.sendJson("POST", "/v1.0/projects/bodies/servers", "{\"hostNm\":\"x\"}"),
                200,
                -40002))
        .contains("\"svrIp\" is required");
  }

  @Test
  void fieldsOfTheWrongTypeAreBadInputValue() {
    assertThat(badJob("{\"jobName\":5}")).contains("\"jobName\"", "string");
    assertThat(badJob("{\"jobName\":\"x\",\"metricsPath\":[\"/m\"]}")).contains("\"metricsPath\"");
    assertThat(badJob("{\"jobName\":\"x\",\"description\":true}")).contains("\"description\"");
    assertThat(badJob("{\"jobName\":\"x\",\"scrapeIntervalSec\":\"15\"}"))
        .contains("\"scrapeIntervalSec\"", "integer");
    assertThat(badJob("{\"jobName\":\"x\",\"scrapeIntervalSec\":1.5}"))
        .contains("\"scrapeIntervalSec\"");
    assertThat(badJob("{\"jobName\":\"x\",\"scrapeTimeoutSec\":99999999999}"))
        .contains("\"scrapeTimeoutSec\"");
    assertThat(badChange("{\"description\":{}}")).contains("\"description\"");
    assertThat(badChange("{\"scrapeIntervalSec\":true}")).contains("\"scrapeIntervalSec\"");
    assertThat(body(api.send("GET", JOBS, null)).findValuesAsText("jobName")).doesNotContain("x");
  }

  @Test
  void aPortThatIsNoIntegerIsBadInputValue() {
    for (String port :
        new String[] {
          "\"http\"", "\"91 00\"", "\"-1\"", "9100.5", "true", "\"99999999999\"", "{}"
        }) {
      assertThat(badTarget("{\"hostId\":\"" + hostId + "\",\"port\":" + port + "}"))
          .as(port)
          .contains("\"port\"", "integer");
    }
    assertThat(body(api.send("GET", targetsPath, null))).isEmpty();
  }

  @Test
  void aPutCannotChangeTheNameOrOtherReadOnlyFields() {
    assertThat(badChange("{\"jobName\":\"renamed\"}")).contains("\"jobName\" cannot be changed");
    assertThat(badChange("{\"jobId\":\"j\"}")).contains("\"jobId\" cannot be changed");
    assertThat(badChange("{\"lstModYmdt\":\"2021-08-17T10:32:09\"}")).contains("cannot be changed");
    assertThat(badChange("{\"other\":1}")).contains("Unknown field \"other\"");
    assertThat(body(api.send("GET", jobPath, null)).get("jobName").asText()).isEqualTo("kept");
  }

  @Test
  void aPutWithNullsOrNothingKeepsEveryField() {
    var before = body(api.send("GET", jobPath, null));

    var after = body(api.sendJson("PUT", jobPath, "{\"metricsPath\":null,\"description\":null}"));

    assertThat(after.get("metricsPath")).isEqualTo(before.get("metricsPath"));
    assertThat(after.get("description")).isEqualTo(before.get("description"));
    assertThat(body(api.sendJson("PUT", jobPath, "{}")).get("jobName").asText()).isEqualTo("kept");
  }
}
