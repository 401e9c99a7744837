package io.meridian.http;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With credentials enforced, {@code /metrics} on the API port answers a cluster administrator only:
 * it describes the whole node, every project's series counts among them.
 */
class MetricsCredentialsTest {

  private static final String ADMIN_TOKEN = "metrics-admin-token-0123456789-0123456789";

  private static InMemoryNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InMemoryNode.enforcing("MetricsCredentialsTest", ADMIN_TOKEN, "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aClusterAdministratorReadsTheMetrics() {
    HttpResponse<String> metrics =
        node.send("GET", "/metrics", null, "Authorization", "Bearer " + ADMIN_TOKEN);

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("meridian_http_requests_total");
    assertThat(node.send("GET", "/v1/metrics", null, "Authorization", "Bearer " + ADMIN_TOKEN))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(200);
  }

  @Test
  void withoutCredentialsOrWithAProjectsOwnTheyAreRefused() {
    assertThat(node.send("GET", "/metrics", null).statusCode()).isEqualTo(401);

    String readKey = key("metrics-readers", "read");
    assertThat(node.send("GET", "/metrics", null, "Authorization", "Bearer " + readKey))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(403);

    String projectAdmin = key("metrics-admins", "read", "admin");
    HttpResponse<String> refused =
        node.send("GET", "/metrics", null, "Authorization", "Bearer " + projectAdmin);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json(refused).path("error").path("message").asText())
        .contains("cluster administrator");
  }

  private static String key(String project, String... scopes) {
    HttpResponse<String> created =
        node.send(
            "POST",
            "/keys",
            "{\"project\":\""
                + project
                + "\",\"scopes\":[\""
                + String.join("\",\"", scopes)
                + "\"]}",
            "Authorization",
            "Bearer " + ADMIN_TOKEN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json(created).path("key").asText();
  }
}
