package io.meridian.http.logs;

import static io.meridian.http.logs.LogEntries.entries;
import static io.meridian.http.logs.LogEntries.excerpt;
import static io.meridian.http.logs.LogEntries.message;
import static io.meridian.http.logs.LogEntries.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A GET with {@code long_polling=true} on an empty range ending in the future waits for an entry
 * and is answered when one arrives, or with an empty excerpt at {@code long-poll-timeout}; it does
 * not wait when the range has entries, when {@code to} is past, or without the parameter. The
 * server's request timeout (shorter here) does not cut a poll short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongPollingTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient client = HttpClient.newHttpClient();
  private InMemoryNode node;

  @BeforeAll
  void start() {
    node =
        InMemoryNode.start(
            "LongPollingTest",
            // A poll outlasts the server's request timeout: it must still end in its own answer.
            "meridian.logs.long-poll-timeout = "
                + TIMEOUT.toMillis()
                + "ms\npekko.http.server.request-timeout = 1s\n");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private CompletableFuture<HttpResponse<String>> poll(String path) {
    return client.sendAsync(
        HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the condition holds, checking often, failing after ten seconds. */
  private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aWaitingPollIsAnsweredWhenAnEntryInItsRangeArrives() throws Exception {
    long now = System.currentTimeMillis();
    CompletableFuture<HttpResponse<String>> waiting =
        poll("/v1/log_excerpts/" + now + "/" + (now + 3_600_000) + "?long_polling=true");
    awaitCondition(() -> node.logs().waiting() == 1);
    assertThat(waiting).isNotDone();

    long started = System.nanoTime();
    post(node, message(now + 1, "arrived"));

    HttpResponse<String> answered = waiting.get(1, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
    assertThat(entries(excerpt(answered)))
        .extracting(e -> e.get("msg").asText())
        .containsExactly("arrived");
    assertThat(answered.headers().firstValue("Cache-Control")).hasValue("no-cache");
  }

  @Test
  void aPollNobodyAnswersEndsEmptyAtTheTimeout() throws Exception {
    long now = System.currentTimeMillis() + 10_000_000;
    long started = System.nanoTime();

    HttpResponse<String> response =
        poll("/v1/log_excerpts/" + now + "/" + (now + 3_600_000) + "?long_polling=true")
            .get(20, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(TIMEOUT);
    assertThat(entries(excerpt(response))).isEmpty();
  }

  @Test
  void aPollDoesNotWaitWhenTheRangeHasEntries() throws Exception {
    long now = System.currentTimeMillis() + 20_000_000;
    post(node, message(now + 5, "already there"));

    HttpResponse<String> response =
        poll("/v1/log_excerpts/" + now + "/" + (now + 3_600_000) + "?long_polling=true")
            .get(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);

    assertThat(entries(excerpt(response))).hasSize(1);
  }

  @Test
  void aPollDoesNotWaitWhenToIsPastOrWithoutLongPolling() throws Exception {
    long now = System.currentTimeMillis();
    for (String path :
        new String[] {
          "/v1/log_excerpts/1000/2000?long_polling=true",
          "/v1/log_excerpts/" + now + "/" + (now + 3_600_000),
          "/v1/log_excerpts/" + now + "/" + (now + 3_600_000) + "?long_polling=false"
        }) {
      HttpResponse<String> response = poll(path).get(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
      assertThat(entries(excerpt(response))).as(path).isEmpty();
    }
    assertThat(node.logs().waiting()).isZero();
  }
}
