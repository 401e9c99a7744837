package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads writing through one batcher to a fake group that answers on other threads, refuses
 * some series and fails some commands: every write completes once, with counts that add up to what
 * the group stored, and a group never has more commands in flight than allowed.
 */
class AppendBatcherConcurrencyTest {

  private static final int THREADS = 8;
  private static final int WRITES_PER_THREAD = 400;

  private final ExecutorService answering = Executors.newFixedThreadPool(2);
  private final ExecutorService writers = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() {
    answering.shutdownNow();
    writers.shutdownNow();
  }

  /** Refuses every series of host "refused-…" and fails every 13th command, answering later. */
  private final class FakeGroups implements AppendBatcher.Sender {
    final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final AtomicInteger mostInFlight = new AtomicInteger();
    final AtomicInteger commands = new AtomicInteger();
    final AtomicLong stored = new AtomicLong();

    @Override
    public CompletionStage<SeriesGroup.Appended> send(
        String tenant, int group, List<SeriesSamples> batch, Duration timeout) {
      AtomicInteger target =
          inFlight.computeIfAbsent(tenant + "-" + group, k -> new AtomicInteger());
      mostInFlight.accumulateAndGet(target.incrementAndGet(), Math::max);
      int number = commands.incrementAndGet();
      return CompletableFuture.supplyAsync(
          () -> {
            target.decrementAndGet();
            if (number % 13 == 0) {
              throw new IllegalStateException("journal write failed");
            }
            long samples = 0;
            List<SeriesGroup.Rejection> rejections = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
              SeriesSamples series = batch.get(i);
              if (series.key().tags().get("host").startsWith("refused")) {
                rejections.add(new SeriesGroup.Rejection(i, series.size(), "series limit"));
              } else {
                samples += series.size();
              }
            }
            stored.addAndGet(samples);
            return new SeriesGroup.Appended(samples, rejections);
          },
          answering);
    }
  }

  private record Write(
      List<SeriesSamples> part, CompletableFuture<SeriesStore.AppendResult> done) {}

  @Test
  void everyWriteCompletesOnceAndTheCountsAddUp() throws Exception {
    FakeGroups groups = new FakeGroups();
    writeConcurrently(groups, new AppendBatcher(groups, 4 * 1024, 1, 64 * 1024, Runnable::run));
  }

  /**
   * Likewise with writes announced before they are appended and held for each other: some
   * announcements are closed only after later writes, some never (the linger ends their holds).
   */
  @Test
  void announcedWritesHeldForEachOtherCompleteOnceAndTheCountsAddUp() throws Exception {
    FakeGroups groups = new FakeGroups();
    writeConcurrently(
        groups,
        new AppendBatcher(groups, 4 * 1024, 1, 64 * 1024, Duration.ofMillis(2), Runnable::run));
  }

  private void writeConcurrently(FakeGroups groups, AppendBatcher batcher) throws Exception {
    List<Write> writes = new ArrayList<>();
    AtomicInteger completions = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<List<Write>>> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      threads.add(
          CompletableFuture.supplyAsync(
              () -> {
                Random random = new Random(thread);
                List<Write> mine = new ArrayList<>();
                List<SeriesStore.WriteAnnouncement> open = new ArrayList<>();
                awaitQuietly(start);
                for (int i = 0; i < WRITES_PER_THREAD; i++) {
                  SeriesStore.WriteAnnouncement announcement = batcher.announce();
                  String tenant = "t" + random.nextInt(2);
                  int group = random.nextInt(4);
                  List<SeriesSamples> part = new ArrayList<>();
                  for (int s = random.nextInt(5); s >= 0; s--) {
                    String host =
                        (random.nextInt(10) == 0 ? "refused-" : "h-") + random.nextInt(50);
                    part.add(AppendBatcherTest.series(tenant, host, 1 + random.nextInt(20)));
                  }
                  // The future of the counting callback, not the write's own: waiting for it
                  // means the callback has run (a dependent of the write's future may be told
                  // of its completion before another dependent's callback ran).
                  CompletableFuture<SeriesStore.AppendResult> done =
                      batcher
                          .append(tenant, group, part, Duration.ofSeconds(60))
                          .toCompletableFuture()
                          .whenComplete((result, failure) -> completions.incrementAndGet());
                  mine.add(new Write(part, done));
                  int fate = random.nextInt(50);
                  if (fate == 0) {
                    continue; // never closed
                  }
                  open.add(announcement);
                  if (fate > 5 || open.size() > 3) {
                    open.forEach(SeriesStore.WriteAnnouncement::close);
                    open.clear();
                  }
                }
                open.forEach(SeriesStore.WriteAnnouncement::close);
                return mine;
              },
              writers));
    }
    start.countDown();
    for (CompletableFuture<List<Write>> thread : threads) {
      writes.addAll(thread.get(60, TimeUnit.SECONDS));
    }
    CompletableFuture.allOf(writes.stream().map(Write::done).toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);

    assertThat(writes).hasSize(THREADS * WRITES_PER_THREAD);
    assertThat(completions).hasValue(THREADS * WRITES_PER_THREAD);
    long acknowledged = 0;
    for (Write write : writes) {
      SeriesStore.AppendResult result = write.done().join();
      acknowledged += result.acknowledged();
      long expected = 0;
      long refused = 0;
      for (SeriesSamples series : write.part()) {
        boolean failed = result.failed().contains(series.key());
        if (series.key().tags().get("host").startsWith("refused")) {
          refused += failed ? 0 : series.size();
        } else if (!failed) {
          expected += series.size();
        }
      }
      assertThat(result.acknowledged()).isEqualTo(expected);
      assertThat(result.refused().stream().mapToLong(SeriesStore.Refused::samples).sum())
          .isEqualTo(refused);
      assertThat(result.refused())
          .allSatisfy(r -> assertThat(r.key().tags().get("host")).startsWith("refused"));
      SeriesKey any = write.part().get(0).key();
      // A caller's part here is one piece: it fails or is answered as a whole.
      assertThat(result.failed()).isIn(Set.of(), partKeys(write.part()));
      assertThat(result.failure() == null).isEqualTo(!result.failed().contains(any));
    }
    assertThat(acknowledged).isEqualTo(groups.stored.get());
    assertThat(groups.mostInFlight).hasValue(1);
    assertThat(batcher.activeGroups()).isZero();
  }

  private static Set<SeriesKey> partKeys(List<SeriesSamples> part) {
    Set<SeriesKey> keys = new HashSet<>();
    part.forEach(series -> keys.add(series.key()));
    return keys;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
