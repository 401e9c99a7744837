package io.meridian.ops.logs;

import static io.meridian.ops.logs.LogEntries.entry;
import static io.meridian.ops.logs.LogEntries.excerpt;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.ops.bench.LogExcerpts;
import io.meridian.ops.bench.LongPollRoundTrip;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.cluster.ClusterFigures;
import io.meridian.ops.cluster.LocalCluster;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long polling of log excerpts on a cluster of two real node processes: a client waiting on node A
 * for a range reaching into the future is answered within a second of an entry in that range being
 * posted to node B; a poll nothing answers gets an empty 200 at the configured timeout so the
 * client retries; a poll whose range already holds entries answers at once. The latencies go to
 * {@code target/cluster-figures.txt}.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogLongPollingAcrossNodesTest {

  /** Short, so that the timeout path takes seconds; every other poll is answered well before. */
  private static final Duration LONG_POLL_TIMEOUT = Duration.ofSeconds(5);

  private static final int ROUNDS = 5;

  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private LocalCluster cluster;
  private String nodeA;
  private String nodeB;

  @BeforeAll
  void startTwoNodes(CassandraServer cassandra) throws Exception {
    String contactPoint =
        cassandra.contactPoint().getHostString() + ":" + cassandra.contactPoint().getPort();
    cluster =
        new LocalCluster(
            LocalCluster.Options.onFreePorts(
                    CassandraExtension.freshDirectory("log-long-polling"),
                    contactPoint,
                    "log_long_polling")
                .withSystemProperties(
                    Map.of(
                        "meridian.logs.long-poll-timeout", LONG_POLL_TIMEOUT.toSeconds() + "s")));
    cluster.start(2);
    nodeA = cluster.nodes().get(0).url();
    nodeB = cluster.nodes().get(1).url();
    // Creates the store and warms both nodes' log paths: an old entry, posted to B, read on A.
    LogEntries.postOnceStoreIsReady(new Http(nodeB), entry(1_000, "warm-up"));
    assertThat(LogEntries.messages(new Http(nodeA).get(excerpt(0, 1_000)))).contains("warm-up");
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anEntryPostedToNodeBAnswersAPollWaitingOnNodeAWithinASecond() throws Exception {
    List<Double> latencies = new ArrayList<>();
    long latest = System.currentTimeMillis();
    for (int round = 0; round < ROUNDS; round++) {
      // As a log viewer does: poll from the latest entry it knows, up to a minute ahead.
      long from = Math.max(System.currentTimeMillis(), latest);
      long to = from + 60_000;
      long timestamp = from + 1;
      String msg = "round " + round + " at " + timestamp;
      LongPollRoundTrip.Result result =
          LongPollRoundTrip.run(
              client,
              nodeA,
              nodeB,
              from,
              to,
              List.of(entry(timestamp, msg)),
              LONG_POLL_TIMEOUT.plusSeconds(5));

      assertThat(result.answer().statusCode()).as(result.answer().body()).isEqualTo(200);
      assertThat(LogExcerpts.parsedEntries(result.answer().body()))
          .as("the poll's answer in round %d", round)
          .singleElement()
          .satisfies(
              entry -> {
                assertThat(entry.path("msg").asText()).isEqualTo(msg);
                assertThat(entry.path("timestamp").asLong()).isEqualTo(timestamp);
              });
      latencies.add(result.postToAnswerMillis());
      latest = timestamp;
    }

    List<Double> sorted = latencies.stream().sorted().toList();
    double median = sorted.get(ROUNDS / 2);
    ClusterFigures.record(
        "log long poll across nodes",
        String.format(
            Locale.ROOT,
            "POST to node B answered → poll on node A answered: median %.1f ms, rounds %s ms",
            median,
            latencies.stream().map(ms -> String.format(Locale.ROOT, "%.1f", ms)).toList()));
    assertThat(median).as("median ms from the POST's 204 to the poll's answer").isLessThan(1000);
  }

  @Test
  void anEntryAtExactlyFromDoesNotAnswerThePoll() throws Exception {
    long from = System.currentTimeMillis() + Duration.ofMinutes(30).toMillis();
    LongPollRoundTrip.Result result =
        LongPollRoundTrip.run(
            client,
            nodeA,
            nodeB,
            from,
            from + 60_000,
            List.of(entry(from, "at from, outside"), entry(from + 1, "just after from")),
            LONG_POLL_TIMEOUT.plusSeconds(5));

    assertThat(result.answer().statusCode()).as(result.answer().body()).isEqualTo(200);
    assertThat(LogExcerpts.parsedEntries(result.answer().body()))
        .extracting(entry -> entry.path("msg").asText())
        .containsExactly("just after from");
  }

  @Test
  void aPollOnAnEmptyFutureRangeAnswersEmptyAtTheTimeout() {
    long from = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
    long to = from + 60_000;
    long started = System.nanoTime();
    Http.Response answer = new Http(nodeA).get(excerpt(from, to) + "?long_polling=true");
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("log_excerpt").path("from").asLong()).isEqualTo(from);
    assertThat(answer.json().path("log_excerpt").path("to").asLong()).isEqualTo(to);
    assertThat(LogEntries.entries(answer)).isEmpty();
    // The server's timer may fire a scheduler tick early; the client adds the network on top.
    assertThat(elapsed)
        .isGreaterThan(LONG_POLL_TIMEOUT.minusMillis(250))
        .isLessThan(LONG_POLL_TIMEOUT.plusSeconds(5));
  }

  @Test
  void aPollWhoseRangeAlreadyHasEntriesAnswersAtOnce() {
    long from = System.currentTimeMillis() + Duration.ofHours(2).toMillis();
    long to = from + 60_000;
    assertThat(new Http(nodeB).post("/v1/log_excerpts", entry(to, "at to, inside")).status())
        .isEqualTo(204);

    long started = System.nanoTime();
    Http.Response answer = new Http(nodeA).get(excerpt(from, to) + "?long_polling=true");
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertThat(LogEntries.messages(answer)).containsExactly("at to, inside");
    assertThat(elapsed).isLessThan(LONG_POLL_TIMEOUT.dividedBy(2));
  }
}
