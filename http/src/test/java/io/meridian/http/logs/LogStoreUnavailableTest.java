package io.meridian.http.logs;

import static io.meridian.http.logs.LogEntries.apiErrors;
import static io.meridian.http.logs.LogEntries.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.ApiFamilies;
import io.meridian.http.ApiStats;
import io.meridian.http.HttpSettings;
import io.meridian.http.OverloadGuard;
import io.meridian.http.testing.InMemoryLogService;
import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * When the log store is unavailable, and when the node sheds load or shuts down, log-excerpt
 * requests get a 503 with Retry-After in the Ocean error body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogStoreUnavailableTest {

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node = InMemoryNode.start("LogStoreUnavailableTest", "meridian.http.retry-after = 6s\n");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @AfterEach
  void storeBack() {
    node.logs().unavailable(false);
  }

  @Test
  void everyEndpointAnswers503WithRetryAfterWhileTheStoreIsDown() {
    node.logs().unavailable(true);
    for (HttpResponse<String> response :
        List.of(
            node.send("GET", "/v1/log_excerpts/1000/2000", null),
            node.send("DELETE", "/v1/log_excerpts/1000/2000", null),
            node.send("POST", "/v1/log_excerpts", message(1001, "x")))) {
      assertThat(apiErrors(response, 503))
          .singleElement()
          .asString()
          .startsWith("Log storage unavailable, retry later");
      assertThat(response.headers().firstValue("Retry-After")).hasValue("6");
    }
  }

  @Test
  void aShuttingDownNodeAnswersInTheApiErrorBody() throws Exception {
    HttpSettings settings = HttpSettings.fromConfig(node.node().system().settings().config());
    LogExcerptRoutes routes =
        new LogExcerptRoutes(node.node().system(), new InMemoryLogService(), settings);
    OverloadGuard guard =
        new OverloadGuard(
            settings.overload(),
            new ApiFamilies(List.of(routes.family()), settings.retryAfter()),
            MemberStatus::up,
            ApiStats.get(node.node().system()),
            node.node().system());

    var response = guard.shuttingDown(HttpRequest.GET("/v1/log_excerpts/1/2"));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After").map(h -> h.value())).hasValue("6");
    assertThat(
            new ObjectMapper()
                .readTree(((HttpEntity.Strict) response.entity()).getData().utf8String())
                .get("_api_error")
                .get(0)
                .asText())
        .isEqualTo("Node is shutting down: retry on another node");
  }
}
