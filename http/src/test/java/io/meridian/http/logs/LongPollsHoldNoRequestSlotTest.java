package io.meridian.http.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Waiting long polls give back their in-flight request slot: with room for two requests, ten
 * waiting polls do not turn other requests away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongPollsHoldNoRequestSlotTest {

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private InMemoryNode node;

  @BeforeAll
  void start() {
    node =
        InMemoryNode.start(
            "LongPollsHoldNoRequestSlotTest",
            "meridian.http.overload.max-requests-in-flight = 2\n"
                + "meridian.logs.long-poll-timeout = 20s\n");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  void waitingPollsLeaveRoomForOtherRequests() throws Exception {
    long now = System.currentTimeMillis();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    // One after the other: a burst of ten at once would rightly be shed before they wait.
    for (int i = 1; i <= 10; i++) {
      polls.add(
          client.sendAsync(
              HttpRequest.newBuilder(
                      node.uri(
                          "/v1/log_excerpts/"
                              + now
                              + "/"
                              + (now + 3_600_000)
                              + "?long_polling=true"))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (node.logs().waiting() < i) {
        assertThat(polls.get(i - 1)).as("poll %d is still waiting", i).isNotDone();
        assertThat(System.nanoTime()).as("poll %d waiting within 10 s", i).isLessThan(deadline);
        Thread.sleep(10);
      }
    }

    HttpResponse<String> other =
        client.send(
            HttpRequest.newBuilder(node.uri("/v1/log_excerpts/0/1000")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);

    LogEntries.post(node, LogEntries.message(now + 1, "wake up"));
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      assertThat(poll.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }
}
