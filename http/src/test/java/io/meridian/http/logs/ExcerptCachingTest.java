package io.meridian.http.logs;

import static io.meridian.http.logs.LogEntries.message;
import static io.meridian.http.logs.LogEntries.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A settled past range is publicly cacheable, a range reaching into the future (or ending within
 * {@code cacheable-after}) must be revalidated; every excerpt has a strong ETag that changes with
 * its entries and answers {@code If-None-Match} with 304.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExcerptCachingTest {

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node =
        InMemoryNode.start(
            "ExcerptCachingTest",
            "meridian.logs { cacheable-after = 60s, cache-max-age = 120s }\n");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private HttpResponse<String> get(String path, String... headers) {
    return node.send("GET", path, null, headers);
  }

  @Test
  void aRangeEndedLongAgoIsPubliclyCacheable() {
    HttpResponse<String> response = get("/v1/log_excerpts/1000/2000");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=120");
  }

  @Test
  void aRangeReachingIntoTheFutureOrTheSettleMarginIsNotCached() {
    long now = System.currentTimeMillis();

    assertThat(
            get("/v1/log_excerpts/" + now + "/" + (now + 3_600_000))
                .headers()
                .firstValue("Cache-Control"))
        .hasValue("no-cache");
    assertThat(
            get("/v1/log_excerpts/" + (now - 60_000) + "/" + (now - 10_000))
                .headers()
                .firstValue("Cache-Control"))
        .hasValue("no-cache");
  }

  @Test
  void theETagAnswersIfNoneMatchWith304UntilTheEntriesChange() {
    post(node, message(3001, "one"));
    HttpResponse<String> first = get("/v1/log_excerpts/3000/4000");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"[0-9a-f]{32}\"");

    HttpResponse<String> again = get("/v1/log_excerpts/3000/4000", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    assertThat(again.headers().firstValue("Cache-Control")).hasValue("public, max-age=120");

    post(node, message(3002, "two"));
    HttpResponse<String> changed = get("/v1/log_excerpts/3000/4000", "If-None-Match", etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.headers().firstValue("ETag"))
        .isNotEqualTo(first.headers().firstValue("ETag"));
  }

  @Test
  void filteredAndUnfilteredExcerptsHaveDifferentETags() {
    post(node, message(5001, "api", 1, "a"));
    post(node, message(5002, "worker", 1, "b"));

    assertThat(get("/v1/log_excerpts/5000/6000").headers().firstValue("ETag"))
        .isNotEqualTo(get("/v1/log_excerpts/5000/6000?service=api").headers().firstValue("ETag"));
  }
}
