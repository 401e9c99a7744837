package io.meridian.ops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-poll round trip of the log-excerpt API, as a log viewer makes it: a client long-polls an
 * empty range reaching into the future on one node, an entry in that range is posted to another (or
 * the same) node, and the poll answers. Measures the time from the POST's 204 to the poll's answer.
 * The cluster test asserts on it and {@code meridian bench logs} reports it.
 */
public final class LongPollRoundTrip {

  /** The least time the poll must stay unanswered before it counts as held by the server. */
  private static final Duration MIN_HOLD = Duration.ofMillis(200);

  /**
   * What came of a round trip: the poll's answer, the nanoseconds from the POST's 204 reaching the
   * client to the poll's answer reaching it (negative if the answer came first), and how long the
   * poll had been outstanding when the entry was posted.
   */
  public record Result(
      HttpResponse<String> answer, long postToAnswerNanos, Duration heldBeforePost) {

    public double postToAnswerMillis() {
      return postToAnswerNanos / 1e6;
    }
  }

  private record Answer(HttpResponse<String> response, long atNanos) {}

  private LongPollRoundTrip() {}

  /**
   * Long-polls {@code (fromMs, toMs]} on {@code pollUrl}, posts {@code entriesJson} one after the
   * other to {@code postUrl} once the poll is held, and waits up to {@code maxWait} for the poll to
   * answer. The time is measured from the last POST's 204; entries before the last one can test
   * what must not answer the poll, such as an entry at exactly {@code fromMs}.
   *
   * @throws IllegalStateException if the range is not empty, the poll answers before anything is
   *     posted, the POST is not answered 204 or the poll does not answer within {@code maxWait}
   */
  public static Result run(
      HttpClient client,
      String pollUrl,
      String postUrl,
      long fromMs,
      long toMs,
      List<String> entriesJson,
      Duration maxWait)
      throws IOException, InterruptedException {
    if (entriesJson.isEmpty()) {
      throw new IllegalArgumentException("a round trip posts at least one entry");
    }
    String excerpt = pollUrl + "/v1/log_excerpts/" + fromMs + "/" + toMs;
    long plainStart = System.nanoTime();
    HttpResponse<String> plain =
        client.send(get(excerpt, Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
    Duration plainTime = Duration.ofNanos(System.nanoTime() - plainStart);
    if (plain.statusCode() != 200 || !LogExcerpts.entries(plain.body()).isEmpty()) {
      throw new IllegalStateException(
          "GET " + excerpt + " should be 200 with no entries: " + describe(plain));
    }

    CompletableFuture<Answer> poll =
        client
            .sendAsync(
                get(excerpt + "?long_polling=true", maxWait.plusSeconds(5)),
                HttpResponse.BodyHandlers.ofString())
            .thenApply(response -> new Answer(response, System.nanoTime()));
    long pollSent = System.nanoTime();
    // A plain GET of the same empty range answers within plainTime; a poll still unanswered after
    // several times that is held by the server, waiting for an entry.
    Duration hold = max(MIN_HOLD, plainTime.multipliedBy(3));
    try {
      Answer early = poll.get(hold.toNanos(), TimeUnit.NANOSECONDS);
      throw new IllegalStateException(
          "the long poll answered before anything was posted: " + describe(early.response()));
    } catch (TimeoutException held) {
      // As intended: the server holds the poll.
    } catch (ExecutionException e) {
      throw new IOException("long poll on " + excerpt + " failed", e.getCause());
    }
    Duration heldBeforePost = Duration.ofNanos(System.nanoTime() - pollSent);

    long posted = 0;
    for (String entryJson : entriesJson) {
      HttpResponse<String> post =
          client.send(
              HttpRequest.newBuilder(URI.create(postUrl + "/v1/log_excerpts"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(entryJson))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      posted = System.nanoTime();
      if (post.statusCode() != 204) {
        poll.cancel(true);
        throw new IllegalStateException("POST " + entryJson + " answered " + describe(post));
      }
    }
    try {
      Answer answer = poll.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
      return new Result(answer.response(), answer.atNanos() - posted, heldBeforePost);
    } catch (TimeoutException e) {
      poll.cancel(true);
      throw new IllegalStateException(
          "the long poll on " + excerpt + " did not answer within " + maxWait + " of the POST");
    } catch (ExecutionException e) {
      throw new IOException("long poll on " + excerpt + " failed", e.getCause());
    }
  }

  private static HttpRequest get(String url, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String describe(HttpResponse<String> response) {
    return response.statusCode() + " " + response.body();
  }
}
