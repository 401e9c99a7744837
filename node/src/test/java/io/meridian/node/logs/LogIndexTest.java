package io.meridian.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogIndexTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private final EventSourcedBehaviorTestKit<LogIndex.Command, LogIndex.Event, LogIndex.State> kit =
      EventSourcedBehaviorTestKit.create(
          testKit.system(), LogIndex.create("default", LogStreamTest.SETTINGS));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private List<Long> list(long from, long to) {
    return kit.<LogIndex.Buckets>runCommand(replyTo -> new LogIndex.ListBuckets(from, to, replyTo))
        .reply()
        .buckets();
  }

  @Test
  void addingPersistsOnlyBucketsNotYetKnown() {
    var first =
        kit.<LogIndex.BucketsKnown>runCommand(
            replyTo -> new LogIndex.AddBuckets(List.of(5L, 3L, 5L), replyTo));
    var second =
        kit.<LogIndex.BucketsKnown>runCommand(
            replyTo -> new LogIndex.AddBuckets(List.of(3L, 9L), replyTo));
    var third =
        kit.<LogIndex.BucketsKnown>runCommand(
            replyTo -> new LogIndex.AddBuckets(List.of(9L), replyTo));

    assertThat(first.events()).containsExactly(new LogIndex.BucketsAdded(List.of(5L, 3L)));
    assertThat(second.events()).containsExactly(new LogIndex.BucketsAdded(List.of(9L)));
    assertThat(third.hasNoEvents()).isTrue();
    assertThat(third.reply()).isEqualTo(new LogIndex.BucketsKnown(0));
  }

  @Test
  void listsTheKnownBucketsOfARangeInOrderAndAfterRestart() {
    kit.<LogIndex.BucketsKnown>runCommand(
        replyTo -> new LogIndex.AddBuckets(List.of(7L, -2L, 3L, 12L), replyTo));

    kit.restart();

    assertThat(list(-2, 7)).containsExactly(-2L, 3L, 7L);
    assertThat(list(4, 6)).isEmpty();
    assertThat(list(8, 1)).isEmpty();
  }
}
