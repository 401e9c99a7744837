package io.meridian.http.openmetrics;

import static io.meridian.http.openmetrics.OpenMetricsServer.body;
import static io.meridian.http.openmetrics.OpenMetricsServer.envelope;
import static io.meridian.http.openmetrics.OpenMetricsServer.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With appkeys configured, every endpoint needs the {@code X-TC-APP-KEY} of the project its path
 * names (401 without a valid key, 403 for another project's), answered in the envelope; a request
 * naming another region than the installation's in {@code X-SYSMON-REGION} is
 * INVALID_HOST_OR_PROJECT, one naming no region BAD_INPUT_VALUE.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenMetricsAccessTest {

  private static final String KEY_A = "appkey-a";
  private static final String KEY_B = "appkey-b";
  private static final String MEMBER = "0f8fad5b-d9cb-469f-a165-70867728950e";

  private OpenMetricsServer api;

  @BeforeAll
  void start() {
    api =
        new OpenMetricsServer(
            "OpenMetricsAccessTest",
            "meridian.projects.appkeys { \""
                + KEY_A
                + "\" = a, \""
                + KEY_B
                + "\" = b }\n"
                + "meridian.scrape.region = kr\n");
  }

  @AfterAll
  void stop() {
    api.close();
  }

  /** One request to every endpoint of project {@code a}, sent with {@code headers}. */
  private List<HttpResponse<String>> everyEndpoint(String... headers) {
    String job = "/v1.0/projects/a/jobs/j";
    String[] json = new String[headers.length + 2];
    json[0] = "Content-Type";
    json[1] = "application/json";
    System.arraycopy(headers, 0, json, 2, headers.length);
    return List.of(
        api.send("GET", "/v1.0/projects/a/jobs", null, headers),
        api.send("POST", "/v1.0/projects/a/jobs", "{\"jobName\":\"x\"}", json),
        api.send("GET", job, null, headers),
        api.send("PUT", job, "{}", json),
        api.send("DELETE", job + "?memberId=" + MEMBER, null, headers),
        api.send("GET", job + "/targets", null, headers),
        api.send("POST", job + "/targets", "{\"hostId\":\"h\",\"port\":1}", json),
        api.send("GET", job + "/targets/t", null, headers),
        api.send("DELETE", job + "/targets/t?memberId=" + MEMBER, null, headers),
        api.send("GET", "/v1.0/projects/a/servers", null, headers),
        api.send(
            "POST", "/v1.0/projects/a/servers", "{\"hostNm\":\"h\",\"svrIp\":\"1.1.1.1\"}", json),
        api.send("DELETE", "/v1.0/projects/a/servers/h", null, headers));
  }

  @Test
  void everyEndpointAnswers401WithoutAKeyOrWithAnUnknownOne() {
    for (HttpResponse<String> response : everyEndpoint()) {
      assertThat(refused(response, 401, -40004)).contains("X-TC-APP-KEY");
      assertThat(envelope(response, 401).at("/header/resultMessage").asText())
          .isEqualTo("INVALID_HOST_OR_PROJECT");
    }
    for (HttpResponse<String> response : everyEndpoint("X-TC-APP-KEY", "not-a-key")) {
      assertThat(refused(response, 401, -40004)).contains("X-TC-APP-KEY");
    }
  }

  @Test
  void everyEndpointAnswers403WithAnotherProjectsKey() {
    for (HttpResponse<String> response : everyEndpoint("X-TC-APP-KEY", KEY_B)) {
      assertThat(refused(response, 403, -40004)).contains("\"a\"");
    }
    assertThat(body(api.send("GET", "/v1.0/projects/a/jobs", null, "X-TC-APP-KEY", KEY_A)))
        .isEmpty();
  }

  @Test
  void eachProjectSeesOnlyItsOwnJobs() {
    body(
        api.sendJson(
            "POST", "/v1.0/projects/b/jobs", "{\"jobName\":\"of-b\"}", "X-TC-APP-KEY", KEY_B));

    assertThat(body(api.send("GET", "/v1.0/projects/b/jobs", null, "X-TC-APP-KEY", KEY_B)))
        .hasSize(1);
    assertThat(
            body(api.send("GET", "/v1.0/projects/a/jobs", null, "X-TC-APP-KEY", KEY_A))
                .findValuesAsText("jobName"))
        .doesNotContain("of-b");
  }

  @Test
  void theInstallationsRegionIsAcceptedInAnyCaseAndWithoutTheHeader() {
    for (String region : new String[] {"kr", "KR", "Kr"}) {
      body(
          api.send(
              "GET",
              "/v1.0/projects/a/servers",
              null,
              "X-TC-APP-KEY",
              KEY_A,
              "X-SYSMON-REGION",
              region));
    }
    body(api.send("GET", "/v1.0/projects/a/servers", null, "X-TC-APP-KEY", KEY_A));
  }

  @Test
  void anotherRegionIsInvalidHostOrProject() {
    for (String region : new String[] {"kr2", "us", "JP"}) {
      assertThat(
              refused(
                  api.sendJson(
                      "POST",
                      "/v1.0/projects/a/jobs",
                      "{\"jobName\":\"elsewhere\"}",
                      "X-TC-APP-KEY",
                      KEY_A,
                      "X-SYSMON-REGION",
                      region),
                  200,
                  -40004))
          .contains("region kr");
    }
    assertThat(
            body(api.send("GET", "/v1.0/projects/a/jobs", null, "X-TC-APP-KEY", KEY_A))
                .findValuesAsText("jobName"))
        .doesNotContain("elsewhere");
  }

  @Test
  void aValueThatIsNoRegionIsBadInputValue() {
    for (String region : new String[] {"eu", "kr1", "korea"}) {
      assertThat(
              refused(
                  api.send(
                      "GET",
                      "/v1.0/projects/a/servers",
                      null,
                      "X-TC-APP-KEY",
                      KEY_A,
                      "X-SYSMON-REGION",
                      region),
                  200,
                  -40002))
          .contains("X-SYSMON-REGION", "kr, kr2, us, jp");
    }
  }

  @Test
  void aConfiguredRegionThatIsNoRegionStopsTheApiFromStarting() {
    assertThatThrownBy(
            () -> new OpenMetricsServer("OpenMetricsBadRegion", "meridian.scrape.region = eu\n"))
        .rootCause()
        .hasMessageContaining("meridian.scrape.region")
        .hasMessageContaining("kr, kr2, us, jp");
  }
}
