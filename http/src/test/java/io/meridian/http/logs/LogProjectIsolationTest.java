package io.meridian.http.logs;

import static io.meridian.http.logs.LogEntries.apiErrors;
import static io.meridian.http.logs.LogEntries.entries;
import static io.meridian.http.logs.LogEntries.excerpt;
import static io.meridian.http.logs.LogEntries.message;
import static io.meridian.http.logs.LogEntries.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With appkeys configured, every log-excerpt request needs a valid {@code X-TC-APP-KEY} (else 401
 * in the Ocean error body) and reads, writes and deletes only its key's project.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogProjectIsolationTest {

  private static final String KEY_A = "appkey-a";
  private static final String KEY_B = "appkey-b";

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node =
        InMemoryNode.start(
            "LogProjectIsolationTest",
            "meridian.projects.appkeys { \"" + KEY_A + "\" = a, \"" + KEY_B + "\" = b }\n");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  void everyEndpointAnswers401WithoutAKeyOrWithAnUnknownOne() {
    String[][] requests = {
      {"GET", "/v1/log_excerpts/1000/2000", null},
      {"DELETE", "/v1/log_excerpts/1000/2000", null},
      {"POST", "/v1/log_excerpts", message(1001, "x")}
    };
    for (String[] request : requests) {
      assertThat(apiErrors(node.send(request[0], request[1], request[2]), 401))
          .singleElement()
          .asString()
          .contains("X-TC-APP-KEY");
      assertThat(
              apiErrors(
                  node.send(request[0], request[1], request[2], "X-TC-APP-KEY", "not-a-key"), 401))
          .hasSize(1);
    }
  }

  @Test
  void eachProjectSeesAndDeletesOnlyItsOwnEntries() {
    post(node, message(3001, "of a"), "X-TC-APP-KEY", KEY_A);
    post(node, message(3002, "of b"), "X-TC-APP-KEY", KEY_B);

    assertThat(
            entries(
                excerpt(
                    node.send("GET", "/v1/log_excerpts/3000/4000", null, "X-TC-APP-KEY", KEY_A))))
        .extracting(e -> e.get("msg").asText())
        .containsExactly("of a");

    node.send("DELETE", "/v1/log_excerpts/3000/4000", null, "X-TC-APP-KEY", KEY_A);
    assertThat(
            entries(
                excerpt(
                    node.send("GET", "/v1/log_excerpts/3000/4000", null, "X-TC-APP-KEY", KEY_B))))
        .extracting(e -> e.get("msg").asText())
        .containsExactly("of b");
  }
}
