package io.meridian.node.logs;

import static io.meridian.node.logs.LogStreamTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The long-polling registry, with reads the test answers itself. */
class LogWaitersTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private record ReadRequest(
      String tenant, long from, long to, CompletableFuture<List<LogEntry>> answer) {}

  private final LinkedBlockingQueue<ReadRequest> reads = new LinkedBlockingQueue<>();

  private ActorRef<LogWaiters.Command> registry(int maxWaiters) {
    LogSettings s = LogStreamTest.SETTINGS;
    LogSettings settings =
        new LogSettings(
            s.bucket(),
            s.askTimeout(),
            s.snapshotEvery(),
            s.snapshotMaxBytes(),
            s.maxAppendBytes(),
            s.readMaxEntries(),
            s.readMaxBytes(),
            s.readParallelism(),
            maxWaiters,
            Duration.ofMinutes(5),
            s.subscriptionLinger());
    return testKit.spawn(
        LogWaiters.create(
            settings,
            (tenant, from, to, filter) -> {
              var answer = new CompletableFuture<List<LogEntry>>();
              reads.add(new ReadRequest(tenant, from, to, answer));
              return answer;
            }));
  }

  private ReadRequest nextRead() throws InterruptedException {
    ReadRequest read = reads.poll(5, TimeUnit.SECONDS);
    assertThat(read).as("a read of the waiter's range").isNotNull();
    return read;
  }

  private static CompletableFuture<List<LogEntry>> await(
      ActorRef<LogWaiters.Command> registry, String tenant, long from, long to, Duration maxWait) {
    var result = new CompletableFuture<List<LogEntry>>();
    registry.tell(new LogWaiters.Await(tenant, from, to, LogFilter.none(), maxWait, result));
    return result;
  }

  private static void publish(
      ActorRef<LogWaiters.Command> registry, String tenant, long min, long max) {
    registry.tell(new LogWaiters.Publish(new LogWaiters.LogsAppended(tenant, min, max)));
  }

  @Test
  void aWaiterIsReadAgainAndAnsweredWhenAnOverlappingAppendIsAnnounced() throws Exception {
    var registry = registry(100);
    var result = await(registry, "t1", 100, 200, Duration.ofSeconds(30));
    nextRead().answer().complete(List.of());

    publish(registry, "t1", 50, 100);
    publish(registry, "t1", 201, 300);
    publish(registry, "other", 150, 150);
    publish(registry, "t1", 90, 150);

    var reread = nextRead();
    assertThat(reread.from()).isEqualTo(100);
    assertThat(reread.to()).isEqualTo(200);
    assertThat(reads).as("only the overlapping append prompts a read").isEmpty();
    reread.answer().complete(List.of(entry(150, "new")));
    assertThat(result.get(5, TimeUnit.SECONDS)).containsExactly(entry(150, "new"));
  }

  @Test
  void entriesFoundByTheFirstReadAreAnsweredAtOnce() throws Exception {
    var registry = registry(100);
    var result = await(registry, "t2", 100, 200, Duration.ofSeconds(30));

    nextRead().answer().complete(List.of(entry(120, "old")));

    assertThat(result.get(5, TimeUnit.SECONDS)).containsExactly(entry(120, "old"));
  }

  @Test
  void anAppendAnnouncedWhileTheFirstReadIsUnderWayIsNotLost() throws Exception {
    var registry = registry(100);
    var result = await(registry, "t3", 100, 200, Duration.ofSeconds(30));
    var first = nextRead();
    // A second waiter, idle, shows when the announcement has been handled: it is read then.
    var witness = await(registry, "t3", 140, 160, Duration.ofSeconds(30));
    nextRead().answer().complete(List.of());

    // The append lands after the stream answered the first read, but is announced before that
    // answer arrives here: the registry must read again rather than keep waiting.
    publish(registry, "t3", 150, 150);
    nextRead().answer().complete(List.of(entry(150, "raced")));
    assertThat(witness.get(5, TimeUnit.SECONDS)).containsExactly(entry(150, "raced"));
    first.answer().complete(List.of());

    var second = nextRead();
    assertThat(second.from()).isEqualTo(100);
    second.answer().complete(List.of(entry(150, "raced")));
    assertThat(result.get(5, TimeUnit.SECONDS)).containsExactly(entry(150, "raced"));
  }

  @Test
  void aWaiterWithoutAppendsIsAnsweredEmptyAfterItsMaximumWait() throws Exception {
    var registry = registry(100);
    var result = await(registry, "t4", 100, 200, Duration.ofMillis(200));
    nextRead().answer().complete(List.of());

    assertThat(result.get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aFailedReadFailsTheWaiter() throws Exception {
    var registry = registry(100);
    var result = await(registry, "t5", 100, 200, Duration.ofSeconds(30));

    nextRead().answer().completeExceptionally(new IllegalStateException("store down"));

    assertThat(result).failsWithin(Duration.ofSeconds(5));
  }

  @Test
  void beyondTheMaximumWaitersARequestIsAnsweredAtOnceWithAPlainRead() throws Exception {
    var registry = registry(1);
    await(registry, "t6", 100, 200, Duration.ofSeconds(30));
    nextRead().answer().complete(List.of());

    var overflow = await(registry, "t6", 300, 400, Duration.ofSeconds(30));
    nextRead().answer().complete(List.of());

    assertThat(overflow.get(5, TimeUnit.SECONDS)).isEmpty();
  }
}
