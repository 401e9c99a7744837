package io.meridian.http.opentsdb;

import static io.meridian.http.testing.ErrorBodies.error;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.HttpSettings;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.node.series.StoreUnavailableException;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How handler failures become OpenTSDB answers. No valid or invalid request produces an unexpected
 * exception by design, so the 500 path is checked at the mapping itself.
 */
class FailureMappingTest {

  private static InMemoryNode node;
  private static OpenTsdbRoutes routes;

  @BeforeAll
  static void start() {
    node = InMemoryNode.start("FailureMappingTest", "meridian.http.retry-after = 3s\n");
    routes =
        new OpenTsdbRoutes(
            node.node(), HttpSettings.fromConfig(node.node().system().settings().config()));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void anUnexpectedFailureIsA500ErrorObject() throws Exception {
    HttpResponse response =
        routes.failure(new CompletionException(new IllegalStateException("boom")));

    assertThat(response.status().intValue()).isEqualTo(500);
    assertThat(error(response).get("code").asInt()).isEqualTo(500);
    assertThat(error(response).get("message").asText()).isEqualTo("Internal error");
    assertThat(error(response).get("details").asText()).contains("boom");
    assertThat(error(response).has("trace")).isFalse();
  }

  @Test
  void storageUnavailabilityIsA503WithRetryAfter() throws Exception {
    HttpResponse response =
        routes.failure(new StoreUnavailableException("no answer", new RuntimeException()));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After").map(h -> h.value())).hasValue("3");
    assertThat(error(response).get("details").asText()).isEqualTo("no answer");
  }
}
