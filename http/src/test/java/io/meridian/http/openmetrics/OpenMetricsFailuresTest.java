package io.meridian.http.openmetrics;

import static io.meridian.http.openmetrics.OpenMetricsServer.body;
import static io.meridian.http.openmetrics.OpenMetricsServer.envelope;
import static io.meridian.http.openmetrics.OpenMetricsServer.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.ApiFamilies;
import io.meridian.http.ApiStats;
import io.meridian.http.HttpSettings;
import io.meridian.http.OverloadGuard;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.pattern.AskTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Failures are answered in the envelope too: 503 with {@code Retry-After} while the catalog does
 * not answer (or the node sheds load or shuts down), INTERNAL_SERVER_ERROR in an HTTP 200 for a bug
 * as System Monitoring documents it, and 404, 405 (with {@code Allow}) and 413 for requests the API
 * cannot take.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenMetricsFailuresTest {

  private static final String MEMBER = "0f8fad5b-d9cb-469f-a165-70867728950e";

  private OpenMetricsServer api;

  @BeforeAll
  void start() {
    api =
        new OpenMetricsServer(
            "OpenMetricsFailuresTest",
            "meridian.http.retry-after = 7s\n"
                + "pekko.http.server.request-timeout = 2s\n"
                + "pekko.http.server.parsing.max-content-length = 4k\n");
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @AfterEach
  void serviceBack() {
    api.service().failWith(null);
    api.service().hang(false);
  }

  private List<HttpResponse<String>> everyEndpoint() {
    String job = "/v1.0/projects/p/jobs/j";
    return List.of(
        api.send("GET", "/v1.0/projects/p/jobs", null),
        api.sendJson("POST", "/v1.0/projects/p/jobs", "{\"jobName\":\"x\"}"),
        api.send("GET", job, null),
        api.sendJson("PUT", job, "{}"),
        api.send("DELETE", job + "?memberId=" + MEMBER, null),
        api.send("GET", job + "/targets", null),
        api.sendJson("POST", job + "/targets", "{\"hostId\":\"h\",\"port\":1}"),
        api.send("GET", job + "/targets/t", null),
        api.send("DELETE", job + "/targets/t?memberId=" + MEMBER, null),
        api.send("GET", "/v1.0/projects/p/servers", null),
        api.sendJson(
            "POST", "/v1.0/projects/p/servers", "{\"hostNm\":\"h\",\"svrIp\":\"1.1.1.1\"}"),
        api.send("DELETE", "/v1.0/projects/p/servers/h", null));
  }

  @Test
  void everyEndpointAnswers503WithRetryAfterWhileTheCatalogIsUnavailable() {
    api.service().unavailable(true);

    for (HttpResponse<String> response : everyEndpoint()) {
      assertThat(refused(response, 503, -50000))
          .startsWith("The OpenMetrics job service is unavailable, retry later");
      assertThat(envelope(response, 503).at("/header/resultMessage").asText())
          .isEqualTo("INTERNAL_SERVER_ERROR");
      assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
    }
  }

  @Test
  void anAskTimeoutIsA503Too() {
    api.service()
        .failWith(new CompletionException(new AskTimeoutException("Ask timed out on [catalog]")));

    HttpResponse<String> response = api.send("GET", "/v1.0/projects/p/jobs", null);

    assertThat(refused(response, 503, -50000)).contains("Ask timed out");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
  }

  @Test
  void aBugIsInternalServerErrorInAnHttp200AsDocumented() {
    api.service().failWith(new IllegalStateException("a bug"));

    for (HttpResponse<String> response : everyEndpoint()) {
      assertThat(refused(response, 200, -50000)).contains("a bug");
      assertThat(envelope(response, 200).at("/header/resultMessage").asText())
          .isEqualTo("INTERNAL_SERVER_ERROR");
    }
  }

  @Test
  void aRequestTheCatalogNeverAnswersTimesOutWith503InTheEnvelope() {
    api.service().hang(true);

    HttpResponse<String> response = api.send("GET", "/v1.0/projects/p/jobs", null);

    assertThat(refused(response, 503, -50000)).contains("request-timeout");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
  }

  @Test
  void pathsTheApiDoesNotHaveAre404InTheEnvelope() {
    for (String path :
        List.of(
            "/v1.0/projects",
            "/v1.0/projects/",
            "/v1.0/projects/p",
            "/v1.0/projects/p/",
            "/v1.0/projects/p/nothing",
            "/v1.0/projects/p/jobsx",
            "/v1.0/projects/p/jobs/j/nothing",
            "/v1.0/projects/p/jobs/j/targets/t/more",
            "/v1.0/projects/p/servers/h/more")) {
      assertThat(refused(api.send("GET", path, null), 404, -40002))
          .as(path)
          .contains("No OpenMetrics API resource at " + path);
    }
  }

  @Test
  void methodsAResourceDoesNotAllowAre405WithAllowInTheEnvelope() {
    record Case(String method, String path, String allow) {}
    for (Case c :
        List.of(
            new Case("PATCH", "/v1.0/projects/p/jobs", "GET, POST"),
            new Case("DELETE", "/v1.0/projects/p/jobs", "GET, POST"),
            // The documented example posts a target to the job itself: it is not an endpoint.
            new Case("POST", "/v1.0/projects/p/jobs/j", "GET, PUT, DELETE"),
            new Case("PUT", "/v1.0/projects/p/jobs/j/targets", "GET, POST"),
            new Case("PUT", "/v1.0/projects/p/jobs/j/targets/t", "GET, DELETE"),
            new Case("DELETE", "/v1.0/projects/p/servers", "GET, POST"),
            new Case("GET", "/v1.0/projects/p/servers/h", "DELETE"))) {
      HttpResponse<String> response =
          api.send(c.method(), c.path(), "{}", "Content-Type", "application/json");
      assertThat(refused(response, 405, -40002)).as(c.toString()).isNotEmpty();
      assertThat(response.headers().firstValue("Allow")).as(c.toString()).hasValue(c.allow());
    }
  }

  @Test
  void aBodyOverTheLimitIs413InTheEnvelope() {
    String big = "{\"jobName\":\"big\",\"description\":\"" + "x".repeat(5000) + "\"}";

    HttpResponse<String> response = api.sendJson("POST", "/v1.0/projects/p/jobs", big);

    assertThat(refused(response, 413, -40002)).contains("max-content-length");
    assertThat(body(api.send("GET", "/v1.0/projects/p/jobs", null)).findValuesAsText("jobName"))
        .doesNotContain("big");
  }

  @Test
  void theFamilyServesEveryPathUnderV10ProjectsOnly() {
    var family = api.routes().family();
    HttpSettings settings = HttpSettings.fromConfig(api.testKit().system().settings().config());
    ApiFamilies families = new ApiFamilies(List.of(family), settings.retryAfter());

    assertThat(families.forPath("/v1.0/projects")).isSameAs(family);
    assertThat(families.forPath("/v1.0/projects/p/jobs/j/targets")).isSameAs(family);
    assertThat(families.forPath("/v1.0/projectsx")).isNotSameAs(family);
    assertThat(families.forPath("/v1/log_excerpts")).isNotSameAs(family);
  }

  @Test
  void aShuttingDownNodeAnswersInTheEnvelope() throws Exception {
    HttpSettings settings = HttpSettings.fromConfig(api.testKit().system().settings().config());
    OverloadGuard guard =
        new OverloadGuard(
            settings.overload(),
            new ApiFamilies(List.of(api.routes().family()), settings.retryAfter()),
            MemberStatus::up,
            ApiStats.get(api.testKit().system()),
            api.testKit().system());

    var response = guard.shuttingDown(HttpRequest.GET("/v1.0/projects/p/jobs"));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After").map(h -> h.value())).hasValue("7");
    JsonNode envelope =
        new ObjectMapper().readTree(((HttpEntity.Strict) response.entity()).getData().utf8String());
    assertThat(envelope.get("header").toString())
        .isEqualTo(
            "{\"isSuccessful\":false,\"resultCode\":-50000,\"resultMessage\":"
                + "\"INTERNAL_SERVER_ERROR\",\"resultDetail\":\"Node is shutting down: retry on"
                + " another node\"}");
    assertThat(envelope.get("body").isNull()).isTrue();
  }
}
