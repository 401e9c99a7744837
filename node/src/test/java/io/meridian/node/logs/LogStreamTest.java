package io.meridian.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogStreamTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  static final LogSettings SETTINGS =
      new LogSettings(
          Duration.ofHours(1),
          Duration.ofSeconds(3),
          2,
          1 << 20,
          64 * 1024,
          1000,
          1 << 20,
          4,
          100,
          Duration.ofSeconds(3),
          Duration.ofSeconds(60));

  private final TestProbe<LogWaiters.Command> waiters = testKit.createTestProbe();

  private final EventSourcedBehaviorTestKit<LogStream.Command, LogStream.Event, LogStream.State>
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(), LogStream.create("default@0", SETTINGS, waiters.getRef()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  static LogEntry entry(long timestamp, String msg) {
    return entry(timestamp, "api", 1, msg);
  }

  static LogEntry entry(long timestamp, String service, int level, String msg) {
    return new LogEntry(
        timestamp,
        service,
        level,
        "{\"timestamp\":"
            + timestamp
            + ",\"service\":\""
            + service
            + "\",\"msg\":\""
            + msg
            + "\"}");
  }

  private LogStream.Appended append(LogEntry... entries) {
    return kit.<LogStream.Appended>runCommand(
            replyTo -> new LogStream.Append(List.of(entries), replyTo))
        .reply();
  }

  private LogStream.Page read(long from, long to, LogStream.Position after, int limit) {
    return read(from, to, after, LogFilter.none(), limit, 1 << 20);
  }

  private LogStream.Page read(
      long from, long to, LogStream.Position after, LogFilter filter, int limit, long maxBytes) {
    return kit.<LogStream.Page>runCommand(
            replyTo -> new LogStream.Read(from, to, after, filter, limit, maxBytes, replyTo))
        .reply();
  }

  private static List<String> messages(LogStream.Page page) {
    return page.entries().stream()
        .map(e -> e.json().replaceAll(".*\"msg\":\"([^\"]*)\".*", "$1"))
        .toList();
  }

  @Test
  void appendPersistsOneEventPerBatchAndAnnouncesItsSpanAfterwards() {
    var result =
        kit.<LogStream.Appended>runCommand(
            replyTo -> new LogStream.Append(List.of(entry(300, "c"), entry(100, "a")), replyTo));

    assertThat(result.reply()).isEqualTo(new LogStream.Appended(2));
    assertThat(result.events())
        .containsExactly(new LogStream.EntriesAppended(List.of(entry(300, "c"), entry(100, "a"))));
    var announced =
        waiters.fishForMessage(
            Duration.ofSeconds(3),
            message ->
                message instanceof LogWaiters.Publish
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
    assertThat(announced)
        .last()
        .isEqualTo(new LogWaiters.Publish(new LogWaiters.LogsAppended("default", 100, 300)));
  }

  @Test
  void anEmptyAppendPersistsNothing() {
    var result =
        kit.<LogStream.Appended>runCommand(replyTo -> new LogStream.Append(List.of(), replyTo));

    assertThat(result.reply()).isEqualTo(new LogStream.Appended(0));
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void readsTheOpenClosedIntervalSortedByTimestampThenArrival() {
    append(entry(200, "b1"), entry(100, "a"), entry(300, "c"));
    append(entry(200, "b2"), entry(50, "early"));

    assertThat(messages(read(100, 300, null, 100))).containsExactly("b1", "b2", "c");
    assertThat(messages(read(0, 200, null, 100))).containsExactly("early", "a", "b1", "b2");
    assertThat(messages(read(200, 299, null, 100))).isEmpty();
  }

  @Test
  void manyInOrderAppendsFillWholeChunksAndLateOnesStaySorted() {
    int n = 3 * LogStream.State.CHUNK;
    var state = LogStream.State.empty();
    for (int i = 0; i < n; i++) {
      state = state.withAppended(List.of(entry(2 * i, "m" + i)));
    }
    state = state.withAppended(List.of(entry(1, "late")));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add("m" + i);
      if (i == 0) {
        expected.add("late");
      }
    }
    var all = new LogStream.Read(-1, Long.MAX_VALUE, null, LogFilter.none(), 2 * n, 1L << 30, null);
    assertThat(messages(state.read(all))).containsExactlyElementsOf(expected);
    assertThat(state.count()).isEqualTo(n + 1);
    assertThat(state.chunkCount()).isEqualTo(4);
  }

  @Test
  void readsAreBoundedAndResumeAfterTheLastEntryEvenWithinOneTimestamp() {
    append(entry(100, "a"), entry(100, "b"), entry(100, "c"), entry(200, "d"));

    var first = read(0, 1000, null, 2);
    var second = read(0, 1000, first.resumeAfter(), 2);

    assertThat(messages(first)).containsExactly("a", "b");
    assertThat(first.more()).isTrue();
    assertThat(messages(second)).containsExactly("c", "d");
    assertThat(second.more()).isFalse();
    assertThat(second.resumeAfter()).isNull();
  }

  @Test
  void pagingThroughManyChunksReturnsEveryEntryOnce() {
    List<LogEntry> batch = new ArrayList<>();
    for (int i = 0; i < 5 * LogStream.State.CHUNK; i++) {
      batch.add(entry(1000 + i / 700, "m" + i));
    }
    var state = LogStream.State.empty().withAppended(batch);

    List<LogEntry> read = new ArrayList<>();
    LogStream.Position after = null;
    LogStream.Page page;
    do {
      page =
          state.read(new LogStream.Read(999, 2000, after, LogFilter.none(), 333, 1L << 20, null));
      read.addAll(page.entries());
      after = page.resumeAfter();
    } while (page.more());

    assertThat(read).containsExactlyElementsOf(batch);
  }

  @Test
  void readsAreBoundedInBytesButAnswerAtLeastOneEntry() {
    append(entry(100, "a"), entry(200, "b"));

    var page = read(0, 1000, null, LogFilter.none(), 100, 1);

    assertThat(messages(page)).containsExactly("a");
    assertThat(page.more()).isTrue();
  }

  @Test
  void readsApplyTheFilter() {
    append(
        entry(100, "api", 0, "debug"),
        entry(200, "auth", 3, "error in auth"),
        entry(300, "api", 3, "error in api"));

    var page =
        read(
            0,
            1000,
            null,
            new LogFilter(Optional.of("api"), Optional.of(2), Optional.of("error")),
            100,
            1 << 20);

    assertThat(messages(page)).containsExactly("error in api");
  }

  @Test
  void deleteRemovesExactlyTheRangeDurably() {
    append(entry(100, "a"), entry(200, "b"), entry(300, "c"));

    var result =
        kit.<LogStream.Deleted>runCommand(replyTo -> new LogStream.DeleteRange(100, 200, replyTo));

    assertThat(result.reply()).isEqualTo(new LogStream.Deleted(1));
    assertThat(result.events()).containsExactly(new LogStream.RangeDeleted(100, 200));
    kit.restart();
    assertThat(messages(read(0, 1000, null, 100))).containsExactly("a", "c");
  }

  @Test
  void deletingAnEmptyRangePersistsNothing() {
    append(entry(100, "a"));

    var result =
        kit.<LogStream.Deleted>runCommand(replyTo -> new LogStream.DeleteRange(100, 200, replyTo));

    assertThat(result.reply()).isEqualTo(new LogStream.Deleted(0));
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void stateSurvivesRestartFromSnapshotsAndEvents() {
    for (int i = 0; i < 5; i++) {
      append(entry(100 + i, "m" + i), entry(100 + i, "n" + i));
    }
    var before = kit.getState();

    kit.restart();

    assertThat(kit.getState()).isEqualTo(before);
    append(entry(104, "after"));
    assertThat(messages(read(103, 104, null, 100))).containsExactly("m4", "n4", "after");
  }
}
