package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.promql.LabelMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Writes from many threads through a real store into real series groups on a one-node cluster with
 * the in-memory journal: whatever the batcher combines, every sample lands and reads back, and a
 * caller's later write of a sample replaces its earlier one.
 */
class SeriesStoreAppendTest {

  private static final int THREADS = 8;
  private static final int WRITES_PER_THREAD = 40;
  private static final int SERIES_PER_WRITE = 30;
  private static final long PATIENCE_SECONDS = 60;

  private static final ActorTestKit testKit = ActorTestKit.create("store-append", config());
  private static final SeriesStore store = startNode();

  private static Config config() {
    return ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0\n")
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseResources("cluster.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  private static SeriesStore startNode() {
    var system = testKit.system();
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    SeriesSettings settings = SeriesSettings.fromConfig(system.settings().config());
    assertThat(settings.appendLinger()).isEqualTo(Duration.ofMillis(10));
    ChunkStore chunks = new InMemoryChunkStore();
    SeriesGroup.init(system, settings, StorageSettings.FOR_TESTS, chunks);
    return new SeriesStore(system, settings, StorageSettings.FOR_TESTS, chunks);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static SeriesKey key(String tenant, String metric, String host) {
    return new SeriesKey(tenant, metric, new TreeMap<>(Map.of("host", host)));
  }

  private static SeriesSamples sample(SeriesKey key, long timestampMs, double value) {
    return new SeriesSamples(key, new long[] {timestampMs}, new double[] {value});
  }

  @Test
  void concurrentWritesFromManyThreadsAllLandAndReadBack() throws Exception {
    String tenant = "concurrent";
    ExecutorService writers = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<List<SeriesStore.AppendResult>>> threads = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        threads.add(
            CompletableFuture.supplyAsync(
                () -> {
                  awaitQuietly(start);
                  // Every write goes out before any is answered, so writes to a group queue up.
                  List<CompletableFuture<SeriesStore.AppendResult>> mine = new ArrayList<>();
                  for (int i = 0; i < WRITES_PER_THREAD; i++) {
                    // Announced while "decoded", as the HTTP APIs do: parts are held for the
                    // writes announced before them (meridian.series.append-linger).
                    SeriesStore.WriteAnnouncement announcement = store.announceWrite();
                    try {
                      List<SeriesSamples> batch = new ArrayList<>();
                      for (int s = 0; s < SERIES_PER_WRITE; s++) {
                        batch.add(sample(key(tenant, "load", thread + "-" + s), 1_000L * i, i));
                      }
                      mine.add(
                          store
                              .append(tenant, batch, Duration.ofSeconds(PATIENCE_SECONDS))
                              .toCompletableFuture());
                    } finally {
                      announcement.close();
                    }
                  }
                  return mine.stream().map(CompletableFuture::join).toList();
                },
                writers));
      }
      start.countDown();
      for (CompletableFuture<List<SeriesStore.AppendResult>> thread : threads) {
        for (SeriesStore.AppendResult result : thread.get(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
          assertThat(result.complete()).as("%s", result.failure()).isTrue();
          assertThat(result.acknowledged()).isEqualTo(SERIES_PER_WRITE);
        }
      }
    } finally {
      writers.shutdownNow();
    }

    List<SeriesSamples> read =
        store
            .select(tenant, List.of(LabelMatcher.equal("__name__", "load")), 0, Long.MAX_VALUE)
            .toCompletableFuture()
            .get(PATIENCE_SECONDS, TimeUnit.SECONDS);

    assertThat(read).hasSize(THREADS * SERIES_PER_WRITE);
    long[] timestamps = new long[WRITES_PER_THREAD];
    double[] values = new double[WRITES_PER_THREAD];
    for (int i = 0; i < WRITES_PER_THREAD; i++) {
      timestamps[i] = 1_000L * i;
      values[i] = i;
    }
    for (SeriesSamples series : read) {
      assertThat(series.timestamps()).as("%s", series.key()).containsExactly(timestamps);
      assertThat(series.values()).as("%s", series.key()).containsExactly(values);
    }
  }

  @Test
  void aLaterWriteOfTheSameSampleWinsEvenWhenBothWait() throws Exception {
    String tenant = "overwrite";
    SeriesKey key = key(tenant, "gauge", "a");
    List<CompletableFuture<Long>> writes = new ArrayList<>();
    // Sent back to back without waiting: the later ones queue behind the first or join it.
    for (int value = 1; value <= 20; value++) {
      writes.add(store.append(tenant, List.of(sample(key, 5_000, value))).toCompletableFuture());
    }
    for (CompletableFuture<Long> write : writes) {
      assertThat(write.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
    }

    List<SeriesSamples> read =
        store
            .select(tenant, List.of(LabelMatcher.equal("__name__", "gauge")), 0, Long.MAX_VALUE)
            .toCompletableFuture()
            .get(PATIENCE_SECONDS, TimeUnit.SECONDS);

    assertThat(read).hasSize(1);
    assertThat(read.get(0).timestamps()).containsExactly(5_000);
    assertThat(read.get(0).values()).containsExactly(20.0);
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
