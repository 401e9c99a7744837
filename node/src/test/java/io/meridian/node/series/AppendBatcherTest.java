package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The batcher against a fake group that records the commands it is sent and answers them when the
 * test says so.
 */
class AppendBatcherTest {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final long MAX_APPEND_BYTES = 256 * 1024;

  /** A command the fake group received, and the answer the test gives it. */
  private record Sent(
      String tenant,
      int group,
      List<SeriesSamples> batch,
      Duration timeout,
      CompletableFuture<SeriesGroup.Appended> answer) {

    void acknowledge(SeriesGroup.Rejection... rejections) {
      long refused = 0;
      for (SeriesGroup.Rejection rejection : rejections) {
        refused += rejection.samples();
      }
      long samples = batch.stream().mapToLong(SeriesSamples::size).sum();
      answer.complete(new SeriesGroup.Appended(samples - refused, List.of(rejections)));
    }
  }

  /** Records every command; none is answered until the test answers it. */
  private static final class FakeGroups implements AppendBatcher.Sender {
    final LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<SeriesGroup.Appended> send(
        String tenant, int group, List<SeriesSamples> batch, Duration timeout) {
      Sent command = new Sent(tenant, group, batch, timeout, new CompletableFuture<>());
      sent.add(command);
      return command.answer();
    }

    Sent next() throws InterruptedException {
      Sent command = sent.poll(30, TimeUnit.SECONDS);
      assertThat(command).as("a command sent within 30s").isNotNull();
      return command;
    }
  }

  private final FakeGroups groups = new FakeGroups();

  private AppendBatcher batcher(long maxAppendBytes, int maxInFlight, long maxQueuedBytes) {
    return new AppendBatcher(groups, maxAppendBytes, maxInFlight, maxQueuedBytes, Runnable::run);
  }

  private AppendBatcher batcher() {
    return batcher(MAX_APPEND_BYTES, 1, 4 * MAX_APPEND_BYTES);
  }

  static SeriesSamples series(String tenant, String host, int samples) {
    TreeMap<String, String> tags = new TreeMap<>();
    tags.put("host", host);
    long[] timestamps = LongStream.range(0, samples).map(i -> 1_000 * i).toArray();
    double[] values = LongStream.range(0, samples).asDoubleStream().toArray();
    return new SeriesSamples(new SeriesKey(tenant, "m", tags), timestamps, values);
  }

  private static SeriesSamples series(String host, int samples) {
    return series("t", host, samples);
  }

  private static Set<SeriesKey> keys(SeriesKey... keys) {
    return Set.of(keys);
  }

  private static SeriesStore.AppendResult result(CompletionStage<SeriesStore.AppendResult> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @SafeVarargs
  private static List<SeriesSamples> concat(List<SeriesSamples>... parts) {
    List<SeriesSamples> all = new ArrayList<>();
    for (List<SeriesSamples> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  @Test
  void writesArrivingWhileACommandIsInFlightGoTogetherAsOneCommandInArrivalOrder()
      throws Exception {
    AppendBatcher batcher = batcher();
    List<SeriesSamples> a = List.of(series("a", 1));
    List<SeriesSamples> b = List.of(series("b", 2), series("c", 3));
    List<SeriesSamples> c = List.of(series("b", 4));

    var first = batcher.append("t", 5, a, LONG);
    Sent inFlight = groups.next();
    var second = batcher.append("t", 5, b, LONG);
    var third = batcher.append("t", 5, c, LONG);

    assertThat(inFlight.batch()).isEqualTo(a);
    assertThat(inFlight.group()).isEqualTo(5);
    assertThat(groups.sent).isEmpty();
    inFlight.acknowledge();
    Sent combined = groups.next();
    assertThat(combined.batch()).isEqualTo(concat(b, c));
    assertThat(groups.sent).isEmpty();
    combined.acknowledge();

    assertThat(result(first).acknowledged()).isEqualTo(1);
    assertThat(result(second)).isEqualTo(new SeriesStore.AppendResult(5, keys(), null));
    assertThat(result(third)).isEqualTo(new SeriesStore.AppendResult(4, keys(), null));
    assertThat(batcher.activeGroups()).isZero();
  }

  @Test
  void groupsAreBatchedSeparately() throws Exception {
    AppendBatcher batcher = batcher();

    var one = batcher.append("t", 1, List.of(series("a", 1)), LONG);
    var two = batcher.append("t", 2, List.of(series("b", 1)), LONG);
    var other = batcher.append("u", 1, List.of(series("u", "c", 1)), LONG);

    List<Sent> sent = List.of(groups.next(), groups.next(), groups.next());
    assertThat(sent)
        .extracting(s -> s.tenant() + "-" + s.group())
        .containsExactlyInAnyOrder("t-1", "t-2", "u-1");
    sent.forEach(Sent::acknowledge);
    assertThat(List.of(result(one), result(two), result(other)))
        .extracting(SeriesStore.AppendResult::acknowledged)
        .containsExactly(1L, 1L, 1L);
  }

  @Test
  void rejectionsAreMappedToEachCallerByTheirPositionInTheCombinedBatch() throws Exception {
    AppendBatcher batcher = batcher();
    batcher.append("t", 0, List.of(series("first", 1)), LONG);
    Sent inFlight = groups.next();
    List<SeriesSamples> b = List.of(series("b0", 2), series("b1", 3));
    List<SeriesSamples> c = List.of(series("c0", 4), series("c1", 5), series("c2", 6));
    var second = batcher.append("t", 0, b, LONG);
    var third = batcher.append("t", 0, c, LONG);
    inFlight.acknowledge();

    Sent combined = groups.next();
    combined.acknowledge(
        new SeriesGroup.Rejection(1, 3, "too old"),
        new SeriesGroup.Rejection(3, 2, "series limit"),
        new SeriesGroup.Rejection(4, 6, "series limit"));

    assertThat(result(second))
        .isEqualTo(
            new SeriesStore.AppendResult(
                2, keys(), null, List.of(new SeriesStore.Refused(b.get(1).key(), 3, "too old"))));
    assertThat(result(third))
        .isEqualTo(
            new SeriesStore.AppendResult(
                4 + 5 + 6 - 2 - 6,
                keys(),
                null,
                List.of(
                    new SeriesStore.Refused(c.get(1).key(), 2, "series limit"),
                    new SeriesStore.Refused(c.get(2).key(), 6, "series limit"))));
  }

  @Test
  void aRejectionOutsideTheBatchFailsTheCommandsCallers() throws Exception {
    AppendBatcher batcher = batcher();
    var write = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    groups.next().acknowledge(new SeriesGroup.Rejection(1, 1, "bogus"));

    SeriesStore.AppendResult result = result(write);
    assertThat(result.failed()).containsExactly(series("a", 1).key());
    assertThat(result.failure()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailedCommandFailsEveryCallerInItAndLeavesOthersAlone() throws Exception {
    AppendBatcher batcher = batcher();
    var first = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    Sent inFlight = groups.next();
    List<SeriesSamples> b = List.of(series("b", 2), series("c", 1));
    var second = batcher.append("t", 0, b, LONG);
    var third = batcher.append("t", 0, List.of(series("d", 1)), LONG);
    inFlight.acknowledge();

    IllegalStateException journalDown = new IllegalStateException("journal down");
    groups.next().answer().completeExceptionally(journalDown);

    assertThat(result(first).complete()).isTrue();
    assertThat(result(second))
        .isEqualTo(
            new SeriesStore.AppendResult(
                0, keys(b.get(0).key(), b.get(1).key()), journalDown, List.of()));
    assertThat(result(third))
        .isEqualTo(new SeriesStore.AppendResult(0, keys(series("d", 1).key()), journalDown));
    assertThat(batcher.activeGroups()).isZero();
  }

  @Test
  void aSenderThatThrowsFailsItsCallers() {
    AppendBatcher batcher =
        new AppendBatcher(
            (tenant, group, batch, timeout) -> {
              throw new IllegalStateException("no sharding");
            },
            MAX_APPEND_BYTES,
            1,
            4 * MAX_APPEND_BYTES,
            Runnable::run);

    SeriesStore.AppendResult result = result(batcher.append("t", 0, List.of(series("a", 1)), LONG));

    assertThat(result.failed()).containsExactly(series("a", 1).key());
    assertThat(result.failure()).hasMessage("no sharding");
    assertThat(batcher.activeGroups()).isZero();
  }

  @Test
  void aQueuedCallerWhoseTimeRunsOutFailsAndIsNeverSent() throws Exception {
    AppendBatcher batcher = batcher();
    var first = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    Sent inFlight = groups.next();
    List<SeriesSamples> impatient = List.of(series("b", 2));
    var second = batcher.append("t", 0, impatient, Duration.ofMillis(50));
    List<SeriesSamples> patient = List.of(series("c", 3));
    var third = batcher.append("t", 0, patient, LONG);

    SeriesStore.AppendResult timedOut = result(second);
    assertThat(timedOut.failed()).containsExactly(impatient.get(0).key());
    assertThat(timedOut.acknowledged()).isZero();
    assertThat(timedOut.failure()).isInstanceOf(TimeoutException.class);

    inFlight.acknowledge();
    Sent next = groups.next();
    assertThat(next.batch()).isEqualTo(patient);
    next.acknowledge();
    assertThat(result(first).acknowledged()).isEqualTo(1);
    assertThat(result(third).acknowledged()).isEqualTo(3);
    assertThat(groups.sent).isEmpty();
    assertThat(batcher.activeGroups()).isZero();
  }

  @Test
  void aSentCallerWhoseTimeRunsOutFailsWithoutWaitingForTheGroup() throws Exception {
    AppendBatcher batcher = batcher();
    List<SeriesSamples> part = List.of(series("a", 1));
    var write = batcher.append("t", 0, part, Duration.ofMillis(50));
    Sent inFlight = groups.next();

    SeriesStore.AppendResult result = result(write);
    assertThat(result.failed()).containsExactly(part.get(0).key());
    assertThat(result.failure()).isInstanceOf(TimeoutException.class);

    // The group's late answer changes nothing for the caller, and frees the group's slot.
    inFlight.acknowledge();
    assertThat(result(write)).isEqualTo(result);
    assertThat(batcher.activeGroups()).isZero();
  }

  @Test
  void aCombinedCommandGetsTheLongestTimeAnyOfItsCallersStillWaits() throws Exception {
    AppendBatcher batcher = batcher();
    batcher.append("t", 0, List.of(series("a", 1)), LONG);
    Sent inFlight = groups.next();
    batcher.append("t", 0, List.of(series("b", 1)), Duration.ofSeconds(5));
    batcher.append("t", 0, List.of(series("c", 1)), Duration.ofSeconds(20));
    inFlight.acknowledge();

    Duration timeout = groups.next().timeout();
    assertThat(timeout).isGreaterThan(Duration.ofSeconds(5)).isLessThanOrEqualTo(LONG);
  }

  @Test
  void writesBeyondTheQueueBoundFailFastAsUnavailable() throws Exception {
    AppendBatcher batcher = batcher(4 * 1024, 1, 6 * 1024);
    var first = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    Sent inFlight = groups.next();
    // About 3.6KiB each: the first fits the empty queue, the second would exceed the bound.
    List<SeriesSamples> queued = List.of(series("b", 200));
    var second = batcher.append("t", 0, queued, LONG);
    List<SeriesSamples> refused = List.of(series("c", 200));
    var third = batcher.append("t", 0, refused, LONG);

    SeriesStore.AppendResult rejected = result(third);
    assertThat(rejected.failed()).containsExactly(refused.get(0).key());
    assertThat(rejected.failure()).isInstanceOf(StoreUnavailableException.class);
    assertThat(rejected.acknowledged()).isZero();

    inFlight.acknowledge();
    Sent next = groups.next();
    assertThat(next.batch()).isEqualTo(queued);
    next.acknowledge();
    assertThat(result(first).complete()).isTrue();
    assertThat(result(second).acknowledged()).isEqualTo(200);
    assertThat(groups.sent).isEmpty();
  }

  @Test
  void anEmptyQueueTakesAWriteLargerThanTheBound() throws Exception {
    AppendBatcher batcher = batcher(1024, 1, 2 * 1024);
    var first = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    Sent inFlight = groups.next();
    SeriesSamples large = series("large", 1_000);
    var second = batcher.append("t", 0, List.of(large), LONG);

    inFlight.acknowledge();
    long received = 0;
    while (received < 1_000) {
      Sent command = groups.next();
      received += command.batch().stream().mapToLong(SeriesSamples::size).sum();
      command.acknowledge();
    }
    assertThat(result(first).complete()).isTrue();
    assertThat(result(second)).isEqualTo(new SeriesStore.AppendResult(1_000, keys(), null));
  }

  @Test
  void combinedBatchesStayWithinMaxAppendBytesAndKeepEveryCallersOrder() throws Exception {
    long maxAppendBytes = 2 * 1024;
    AppendBatcher batcher = batcher(maxAppendBytes, 1, 64 * 1024);
    batcher.append("t", 0, List.of(series("first", 1)), LONG);
    Sent inFlight = groups.next();
    // Each caller writes one series, of about 1.2KiB, 5KiB and 0.6KiB.
    List<SeriesSamples> parts =
        List.of(series("a", 60), series("b", 280), series("c", 30), series("a", 10));
    List<CompletionStage<SeriesStore.AppendResult>> writes = new ArrayList<>();
    parts.forEach(part -> writes.add(batcher.append("t", 0, List.of(part), LONG)));
    inFlight.acknowledge();

    List<SeriesSamples> received = new ArrayList<>();
    int expectedSamples = parts.stream().mapToInt(SeriesSamples::size).sum();
    int commands = 0;
    while (received.stream().mapToInt(SeriesSamples::size).sum() < expectedSamples) {
      Sent command = groups.next();
      commands++;
      assertThat(command.batch().stream().mapToLong(AppendCommands::bytes).sum())
          .isLessThanOrEqualTo(maxAppendBytes);
      received.addAll(command.batch());
      command.acknowledge();
    }
    assertThat(commands).isGreaterThan(1);
    // Concatenated, the commands are the callers' series in arrival order.
    List<String> hosts = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    for (SeriesSamples s : received) {
      for (long t : s.timestamps()) {
        hosts.add(s.key().tags().get("host"));
        timestamps.add(t);
      }
    }
    List<String> expectedHosts = new ArrayList<>();
    List<Long> expectedTimestamps = new ArrayList<>();
    for (SeriesSamples s : parts) {
      for (long t : s.timestamps()) {
        expectedHosts.add(s.key().tags().get("host"));
        expectedTimestamps.add(t);
      }
    }
    assertThat(hosts).isEqualTo(expectedHosts);
    assertThat(timestamps).isEqualTo(expectedTimestamps);
    for (int i = 0; i < parts.size(); i++) {
      assertThat(result(writes.get(i)))
          .isEqualTo(new SeriesStore.AppendResult(parts.get(i).size(), keys(), null));
    }
  }

  @Test
  void aCallersPieceFailingFailsOnlyThatPiecesSeries() throws Exception {
    AppendBatcher batcher = batcher(1024, 1, 64 * 1024);
    List<SeriesSamples> part = List.of(series("a", 40), series("b", 40));
    var write = batcher.append("t", 0, part, LONG);

    groups.next().acknowledge();
    IllegalStateException down = new IllegalStateException("down");
    groups.next().answer().completeExceptionally(down);

    assertThat(result(write))
        .isEqualTo(new SeriesStore.AppendResult(40, keys(part.get(1).key()), down));
  }

  @Test
  void moreCommandsMayBeInFlightWhenConfigured() throws Exception {
    AppendBatcher batcher = batcher(MAX_APPEND_BYTES, 2, 4 * MAX_APPEND_BYTES);
    batcher.append("t", 0, List.of(series("a", 1)), LONG);
    batcher.append("t", 0, List.of(series("b", 1)), LONG);
    batcher.append("t", 0, List.of(series("c", 1)), LONG);
    batcher.append("t", 0, List.of(series("d", 1)), LONG);

    Sent one = groups.next();
    Sent two = groups.next();
    assertThat(groups.sent).isEmpty();
    two.acknowledge();
    assertThat(groups.next().batch()).containsExactly(series("c", 1), series("d", 1));
    one.acknowledge();
  }

  @Test
  void aGroupsStateIsDroppedOnceIdle() throws Exception {
    AppendBatcher batcher = batcher();
    List<CompletionStage<SeriesStore.AppendResult>> writes = new ArrayList<>();
    for (int tenant = 0; tenant < 1_000; tenant++) {
      writes.add(batcher.append("t" + tenant, tenant % 64, List.of(series("a", 1)), LONG));
    }
    assertThat(batcher.activeGroups()).isEqualTo(1_000);
    for (int i = 0; i < 1_000; i++) {
      groups.next().acknowledge();
    }
    writes.forEach(write -> assertThat(result(write).complete()).isTrue());
    assertThat(batcher.activeGroups()).isZero();
  }

  @Test
  void anEmptyWriteCompletesAtOnce() {
    assertThat(result(batcher().append("t", 0, List.of(), LONG)))
        .isEqualTo(new SeriesStore.AppendResult(0, keys(), null));
    assertThat(groups.sent).isEmpty();
  }

  /** Lingers run out when the test says: each queued task is one hold's end. */
  private final LinkedBlockingQueue<Runnable> lingerEnds = new LinkedBlockingQueue<>();

  private AppendBatcher lingering(long maxAppendBytes) {
    return new AppendBatcher(
        groups,
        maxAppendBytes,
        1,
        4 * maxAppendBytes,
        Duration.ofMillis(5),
        Runnable::run,
        lingerEnds::add);
  }

  private void endLinger() {
    Runnable end = lingerEnds.poll();
    assertThat(end).as("a hold started").isNotNull();
    end.run();
  }

  @Test
  void aWriteIsHeldWhileWritesAnnouncedBeforeItArePreparedAndGoesWithTheirs() throws Exception {
    AppendBatcher batcher = lingering(MAX_APPEND_BYTES);
    List<SeriesSamples> a = List.of(series("a", 1));
    List<SeriesSamples> b = List.of(series("b", 2));
    List<SeriesSamples> other = List.of(series("c", 1));

    SeriesStore.WriteAnnouncement decoding = batcher.announce();
    var first = batcher.append("t", 3, a, LONG);
    var elsewhere = batcher.append("t", 4, other, LONG);
    var second = batcher.append("t", 3, b, LONG);
    assertThat(groups.sent).isEmpty();
    assertThat(lingerEnds).hasSize(2);

    decoding.close();
    Sent one = groups.next();
    Sent two = groups.next();
    Sent together = one.group() == 3 ? one : two;
    Sent alone = one.group() == 3 ? two : one;
    assertThat(together.batch()).isEqualTo(concat(a, b));
    assertThat(alone.group()).isEqualTo(4);
    assertThat(alone.batch()).isEqualTo(other);
    assertThat(groups.sent).isEmpty();
    decoding.close();
    while (!lingerEnds.isEmpty()) {
      endLinger();
    }
    assertThat(groups.sent).isEmpty();

    together.acknowledge();
    alone.acknowledge();
    assertThat(result(first).acknowledged()).isEqualTo(1);
    assertThat(result(second).acknowledged()).isEqualTo(2);
    assertThat(result(elsewhere).acknowledged()).isEqualTo(1);
    assertThat(batcher.activeGroups()).isZero();
  }

  @Test
  void withNoWriteAnnouncedAWriteGoesAtOnce() throws Exception {
    AppendBatcher batcher = lingering(MAX_APPEND_BYTES);
    batcher.announce().close();
    var write = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    groups.next().acknowledge();
    assertThat(lingerEnds).isEmpty();
    assertThat(result(write).acknowledged()).isEqualTo(1);
  }

  @Test
  void withoutALingerAnnouncementsHoldNothing() throws Exception {
    AppendBatcher batcher = batcher();
    SeriesStore.WriteAnnouncement decoding = batcher.announce();
    var write = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    groups.next().acknowledge();
    decoding.close();
    assertThat(result(write).acknowledged()).isEqualTo(1);
  }

  @Test
  void aHoldEndsWhenTheLingerRunsOutThoughAnAnnouncedWriteNeverCame() throws Exception {
    AppendBatcher batcher = lingering(MAX_APPEND_BYTES);
    batcher.announce();
    var write = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    assertThat(groups.sent).isEmpty();
    endLinger();
    groups.next().acknowledge();
    assertThat(result(write).acknowledged()).isEqualTo(1);
  }

  @Test
  void writesAnnouncedAfterAHoldBeganAreNotAwaited() throws Exception {
    AppendBatcher batcher = lingering(MAX_APPEND_BYTES);
    SeriesStore.WriteAnnouncement earlier = batcher.announce();
    var write = batcher.append("t", 0, List.of(series("a", 1)), LONG);
    SeriesStore.WriteAnnouncement later = batcher.announce();
    assertThat(groups.sent).isEmpty();
    earlier.close();
    groups.next().acknowledge();
    later.close();
    assertThat(result(write).acknowledged()).isEqualTo(1);
  }

  @Test
  void whatQueuedWhileACommandWasInFlightIsHeldOnItsAnswerForAnnouncedWrites() throws Exception {
    AppendBatcher batcher = lingering(MAX_APPEND_BYTES);
    batcher.append("t", 0, List.of(series("a", 1)), LONG);
    Sent inFlight = groups.next();
    SeriesStore.WriteAnnouncement decoding = batcher.announce();
    var queued = batcher.append("t", 0, List.of(series("b", 1)), LONG);
    assertThat(lingerEnds).isEmpty();

    inFlight.acknowledge();
    assertThat(groups.sent).isEmpty();
    var announced = batcher.append("t", 0, List.of(series("c", 1)), LONG);
    decoding.close();
    Sent next = groups.next();
    assertThat(next.batch()).containsExactly(series("b", 1), series("c", 1));
    endLinger();
    assertThat(groups.sent).isEmpty();
    next.acknowledge();
    assertThat(result(queued).acknowledged()).isEqualTo(1);
    assertThat(result(announced).acknowledged()).isEqualTo(1);
  }

  @Test
  void whatQueuedWhileACommandWasInFlightGoesOnItsAnswerWhenNoWriteIsAnnounced() throws Exception {
    AppendBatcher batcher = lingering(MAX_APPEND_BYTES);
    batcher.append("t", 0, List.of(series("a", 1)), LONG);
    Sent inFlight = groups.next();
    var queued = batcher.append("t", 0, List.of(series("b", 1)), LONG);

    inFlight.acknowledge();
    Sent next = groups.next();
    assertThat(next.batch()).containsExactly(series("b", 1));
    assertThat(lingerEnds).isEmpty();
    next.acknowledge();
    assertThat(result(queued).acknowledged()).isEqualTo(1);
  }

  @Test
  void aQueueOfACommandsWorthGoesAtOnceAndItsHoldsEndDoesNothing() throws Exception {
    long maxAppendBytes = 4 * 1024;
    AppendBatcher batcher = lingering(maxAppendBytes);
    SeriesStore.WriteAnnouncement decoding = batcher.announce();
    batcher.append("t", 0, List.of(series("a", 1)), LONG);
    assertThat(groups.sent).isEmpty();
    int samples = (int) (maxAppendBytes / AppendCommands.SAMPLE_BYTES);
    var large = batcher.append("t", 0, List.of(series("b", samples)), LONG);

    Sent first = groups.next();
    assertThat(first.batch()).containsExactly(series("a", 1));
    endLinger();
    decoding.close();
    assertThat(groups.sent).isEmpty();
    first.acknowledge();
    while (!large.toCompletableFuture().isDone()) {
      groups.next().acknowledge();
    }
    assertThat(result(large).complete()).isTrue();
  }

  @Test
  void aCallerWhoseTimeRunsOutWhileHeldIsNeverSent() throws Exception {
    AppendBatcher batcher = lingering(MAX_APPEND_BYTES);
    SeriesStore.WriteAnnouncement decoding = batcher.announce();
    var expired = batcher.append("t", 0, List.of(series("a", 1)), Duration.ofMillis(1));

    SeriesStore.AppendResult outcome = result(expired);
    assertThat(outcome.failed()).containsExactly(series("a", 1).key());
    assertThat(outcome.failure()).isInstanceOf(TimeoutException.class);
    assertThat(batcher.activeGroups()).isZero();
    decoding.close();
    endLinger();
    assertThat(groups.sent).isEmpty();
    assertThat(batcher.activeGroups()).isZero();
  }
}
