package io.meridian.node.logs;

import static io.meridian.node.logs.LogStreamTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.node.MeridianNode;
import io.meridian.node.testing.ClusterTestKits;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Long polling across a two-node cluster: appends on one node wake waiters on the other. */
class TwoNodeLongPollingTest {

  private static ActorTestKit first;
  private static ActorTestKit second;
  private static LogService onFirst;
  private static LogService onSecond;

  @BeforeAll
  static void startCluster() {
    first = ClusterTestKits.seed();
    onFirst = MeridianNode.start(first.system()).logs();
    second = ClusterTestKits.joining(first);
    onSecond = MeridianNode.start(second.system()).logs();
    ClusterTestKits.awaitUp(first, 2, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopCluster() {
    second.shutdownTestKit();
    first.shutdownTestKit();
  }

  @Test
  void receptionistGossipIsFastEnoughForLongPolling() {
    assertThat(
            first
                .system()
                .settings()
                .config()
                .getDuration("pekko.cluster.typed.receptionist.distributed-data.gossip-interval"))
        .isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aWaiterOnOneNodeIsAnsweredSoonAfterAnAppendOnTheOther() throws Exception {
    for (String tenant : List.of("cross-a", "cross-b", "cross-c")) {
      long now = System.currentTimeMillis();
      var waiting =
          onFirst
              .awaitExcerpt(tenant, now, now + 60_000, LogFilter.none(), Duration.ofSeconds(30))
              .toCompletableFuture();
      LogEntry posted = entry(now + 1, "from the other node");

      onSecond.append(tenant, List.of(posted)).toCompletableFuture().get(10, TimeUnit.SECONDS);

      // Answered with the entry, within 10 s of a 30 s long poll: by the append (through pub-sub,
      // or through the re-read one subscribe-settle after a subscription that had not spread to
      // the other node yet), not by the poll running out. How soon is a benchmark's question.
      assertThat(waiting.get(10, TimeUnit.SECONDS)).containsExactly(posted);
    }
  }

  @Test
  void aWaiterWithoutAppendsOnAnyNodeAnswersEmpty() throws Exception {
    long now = System.currentTimeMillis();

    var found =
        onSecond
            .awaitExcerpt(
                "cross-quiet", now, now + 60_000, LogFilter.none(), Duration.ofMillis(500))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(found).isEmpty();
  }
}
