package io.meridian.http.prometheus;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import io.meridian.protocol.promql.PromQlParser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deepest query the parser lets through is evaluated on the node's threads without overflowing
 * their stacks, and one level deeper is a 400; the node serves on either way.
 */
class DeepQueryTest {

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node = InMemoryNode.start("DeepQueryTest", "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static HttpResponse<String> query(String promql) {
    return node.send(
        "POST",
        "/prometheus/api/v1/query",
        "time=1700000000&query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8),
        "Content-Type",
        "application/x-www-form-urlencoded");
  }

  @Test
  void theDeepestAllowedQueriesAreAnswered() {
    // time() is a leaf: each query below is exactly MAX_DEPTH levels deep.
    int levels = PromQlParser.MAX_DEPTH - 1;
    for (String promql :
        new String[] {
          "(".repeat(levels) + "time()" + ")".repeat(levels),
          "time()" + " + time()".repeat(levels),
          "-".repeat(levels) + "time()",
          // Each call takes the parser through every precedence level, so calls nest less deep
          // before its stack runs out (then: a 400 too); 200 is far beyond any real query.
          "abs(".repeat(200) + "vector(time())" + ")".repeat(200)
        }) {
      HttpResponse<String> response = query(promql);
      assertThat(response.statusCode())
          .as(promql.substring(0, 40) + " → " + response.body())
          .isEqualTo(200);
      assertThat(json(response).get("status").asText()).isEqualTo("success");
    }
  }

  @Test
  void deeperQueriesAreRefused() {
    int levels = PromQlParser.MAX_DEPTH;
    for (String promql :
        new String[] {
          "(".repeat(levels) + "time()" + ")".repeat(levels),
          "time()" + " + time()".repeat(50_000),
          "(".repeat(200_000) + "time()" + ")".repeat(200_000)
        }) {
      HttpResponse<String> response = query(promql);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(json(response).get("errorType").asText()).isEqualTo("bad_data");
    }
    assertThat(query("vector(1)").statusCode()).isEqualTo(200);
  }
}
