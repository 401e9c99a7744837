package io.meridian.ops.storage;

import static io.meridian.ops.storage.EngineClient.chunkRows;
import static io.meridian.ops.storage.EngineClient.chunkSamples;
import static io.meridian.ops.storage.EngineClient.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.ops.prometheus.RemoteWriteClient;
import io.meridian.ops.storage.EngineClient.ChunkRow;
import io.meridian.ops.storage.EngineClient.Series;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The storage engine end to end on a real Cassandra and a real node: samples written through
 * OpenTSDB and Prometheus remote write are sealed into the chunk table, reads merge sealed chunks
 * with the heads and return every sample exactly, the journal keeps only the events since the
 * latest snapshots, late writes to sealed windows win, concurrent writers into windows being sealed
 * lose nothing, and a restarted node recovers everything.
 *
 * <p>The node seals fast: one-minute chunks, sealed as soon as their minute is over, looked for
 * every 300 ms. Each test writes its own series into its own ten minutes, ending at least ten
 * minutes before the class started, so every window is over and gets sealed at once, and the chunk
 * rows of a test are those starting in its ten minutes. The tests share one node (restarted by the
 * last one, which then reads everything the others wrote).
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageEngineOnCassandraTest {

  private static final int GROUPS = 8;
  private static final int SNAPSHOT_EVERY = 5;
  private static final long MINUTE = 60_000L;
  private static final long STEP = 10_000L;
  private static final Duration SEALING = Duration.ofSeconds(60);

  /**
   * Chunks of one minute, sealed as soon as their minute is over (even when just written: the tests
   * write past minutes and wait for them in the chunk table).
   */
  static final String FAST_SEALING =
      "meridian.series.chunk-span = 1m\n"
          + "meridian.series.seal-delay = 0s\n"
          + "meridian.series.seal-idle = 0s\n"
          + "meridian.series.seal-interval = 300ms\n"
          + "meridian.series.snapshot-every = "
          + SNAPSHOT_EVERY
          + "\n";

  private final String keyspace = "se_" + UUID.randomUUID().toString().replace("-", "");

  /** The start of the minute the class started in. */
  private final long minute0 = System.currentTimeMillis() / MINUTE * MINUTE;

  /** Every series the tests wrote, with what it must hold: the restart test reads them all. */
  private final List<Series> written = new ArrayList<>();

  private CqlSession cql;
  private TestNode node;
  private EngineClient client;

  @BeforeAll
  void start() {
    cql = Cql.connect(CassandraExtension.server());
    startNode();
  }

  private void startNode() {
    node =
        TestNode.start(
            CassandraExtension.server(),
            keyspace,
            FAST_SEALING + "meridian.series.groups = " + GROUPS + "\n");
    client = new EngineClient(node.url());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (cql != null) {
      Cql.dropKeyspaces(cql, keyspace);
      cql.close();
    }
  }

  /** The start of test {@code n}'s ten minutes: n = 0 is 60 minutes before the class started. */
  private long region(int n) {
    return minute0 - 60 * MINUTE + n * 10 * MINUTE;
  }

  /** Waits until the chunk table holds {@code samples} samples in chunks starting in a region. */
  private void awaitChunkSamples(long regionStart, long samples) {
    Await.until(
        samples + " samples sealed into the chunk table",
        SEALING,
        () -> chunkSamples(cql, keyspace, regionStart, regionStart + 10 * MINUTE) == samples,
        () -> chunkRows(cql, keyspace, regionStart, regionStart + 10 * MINUTE).toString());
  }

  /** Samples {@code timestamp -> value(i)} every 10 s from {@code startMs}. */
  private static SortedMap<Long, Double> every10s(
      long startMs, int count, IntToDoubleFunction value) {
    return every(startMs, count, STEP, value);
  }

  /** Samples {@code timestamp -> value(i)} every {@code stepMs} from {@code startMs}. */
  private static SortedMap<Long, Double> every(
      long startMs, int count, long stepMs, IntToDoubleFunction value) {
    SortedMap<Long, Double> samples = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      samples.put(startMs + i * stepMs, value.applyAsDouble(i));
    }
    return samples;
  }

  /** Now, down to the second, minus {@code seconds} seconds. */
  private static long secondsAgo(int seconds) {
    return (System.currentTimeMillis() / 1000 - seconds) * 1000;
  }

  @Test
  @Order(1)
  void sealedChunksAndHeadsReadAsOneExactly() {
    long start = region(0);
    // Five minutes of three OpenTSDB series and two remote-written ones (off the second by 123 ms),
    // with values whose every bit counts; and a short series that is only ever sealed.
    List<Series> tsdb = new ArrayList<>();
    for (String host : List.of("a", "b", "c")) {
      Series series = Series.of("seal.tsdb", Map.of("host", host));
      int s = tsdb.size();
      client.putAll(series, every10s(start, 30, i -> Math.sin(i * 0.7 + s) * 1000 + s / 3.0));
      tsdb.add(series);
    }
    Map<Series, SortedMap<Long, Double>> remote = new LinkedHashMap<>();
    for (String instance : List.of("i1", "i2")) {
      Series series = Series.of("seal_prom", Map.of("job", "engine", "instance", instance));
      int s = remote.size() + 1;
      remote.put(
          series, every10s(start + 123, 30, i -> i == 7 ? 1.5e300 * s : 0.001 * i * s + 0.1));
    }
    client.remoteWriteAll(remote);
    Series sealedOnly = Series.of("seal.last", Map.of("host", "a"));
    client.putAll(sealedOnly, every10s(start, 12, i -> -0.25 * (i + 1)));

    awaitChunkSamples(start, 3 * 30 + 2 * 30 + 12);

    // Samples of now, in the current minute's open chunk (or just sealed, if the minute ended).
    Series recentTsdb = tsdb.get(0);
    client.putAll(recentTsdb, new TreeMap<>(Map.of(secondsAgo(1), 42.125)));
    Series recentProm = remote.keySet().iterator().next();
    client.remoteWriteAll(Map.of(recentProm, new TreeMap<>(Map.of(secondsAgo(1) + 7, -3.5))));

    List<Series> all = new ArrayList<>(tsdb);
    all.addAll(remote.keySet());
    all.add(sealedOnly);
    written.addAll(all);
    client.assertReadsExactly(all, start - MINUTE, System.currentTimeMillis() + MINUTE, STEP);

    // The latest sample of a series whose every sample is in the chunk table, and of one whose
    // latest is in the head.
    assertThat(client.last(sealedOnly)).isEqualTo(sealedOnly.samples().lastEntry());
    assertThat(client.last(recentTsdb)).isEqualTo(recentTsdb.samples().lastEntry());
  }

  @Test
  @Order(2)
  void theJournalKeepsOnlyTheEventsSinceTheLatestSnapshots() {
    long start = region(1);
    Series series = Series.of("journal.load", Map.of("host", "a"));
    written.add(series);
    // One point per request, one after another: at least one event each.
    int puts = 200;
    for (int i = 0; i < puts; i++) {
      client.putAll(series, new TreeMap<>(Map.of(start + i * 1000L, i * 1.5 + 0.25)));
    }
    awaitChunkSamples(start, puts);

    String persistenceId =
        "SeriesGroup|" + EngineClient.TENANT + "-" + Math.floorMod(series.key().hashCode(), GROUPS);
    // Every snapshot-every events the group saves a snapshot, keeps two, and deletes the events
    // before the older one: pekko-persistence-cassandra 1.1.0 records the bound as deleted_to in
    // the journal's metadata table, then deletes the rows of messages up to it (range deletes, so
    // they are gone from reads at once). What stays are the events after the older kept snapshot:
    // fewer than 3 * snapshot-every, however many the group persisted (200 appends, plus sealing).
    // Deletion runs after the snapshot is saved, hence the wait; and the plugin records deleted_to
    // before it deletes the rows, so an observation may see the new bound with rows below it still
    // there: the wait is for one where the deletion is through.
    // The group may still persist an event or two of sealing meanwhile, so the checks below are of
    // the one observation that met the condition.
    AtomicReference<List<Long>> seqs = new AtomicReference<>();
    AtomicLong deletedTo = new AtomicLong();
    Await.until(
        "the journal of " + persistenceId + " to shrink to the events since its snapshots",
        SEALING,
        () -> {
          seqs.set(journalSeqs(persistenceId));
          deletedTo.set(deletedTo(persistenceId));
          return seqs.get().size() < 3 * SNAPSHOT_EVERY
              && deletedTo.get() > 0
              && seqs.get().stream().allMatch(seq -> seq > deletedTo.get());
        },
        () -> "events " + seqs.get() + ", deleted_to " + deletedTo.get());
    assertThat(seqs.get()).isNotEmpty();
    long highest = seqs.get().get(seqs.get().size() - 1);
    assertThat(highest).isGreaterThanOrEqualTo(puts);
    assertThat(seqs.get()).allMatch(seq -> seq > deletedTo.get());
    assertThat(deletedTo.get()).isGreaterThan(highest - 3L * SNAPSHOT_EVERY);
    // Older snapshots are deleted too: two are kept (a third may exist while its deletion runs).
    Await.until(
        "the snapshots of " + persistenceId + " to be few",
        SEALING,
        () -> snapshotSeqs(persistenceId).size() <= 3,
        () -> "snapshots " + snapshotSeqs(persistenceId));

    client.assertReadsExactly(List.of(series), start - MINUTE, start + 10 * MINUTE, 1000);
  }

  private List<Long> journalSeqs(String persistenceId) {
    // The journal's partitions hold 500,000 events each: this group's are all in partition 0.
    return cql
        .execute(
            "SELECT sequence_nr FROM "
                + keyspace
                + ".messages WHERE persistence_id = ? AND partition_nr = 0",
            persistenceId)
        .all()
        .stream()
        .map(row -> row.getLong("sequence_nr"))
        .toList();
  }

  private long deletedTo(String persistenceId) {
    Row row =
        cql.execute(
                "SELECT deleted_to FROM " + keyspace + ".metadata WHERE persistence_id = ?",
                persistenceId)
            .one();
    return row == null ? 0 : row.getLong("deleted_to");
  }

  private List<Long> snapshotSeqs(String persistenceId) {
    // The parted snapshot store's table: one row per part of a snapshot.
    return cql
        .execute(
            "SELECT sequence_nr FROM "
                + keyspace
                + "_snapshot.snapshot_parts WHERE persistence_id = ?",
            persistenceId)
        .all()
        .stream()
        .map(row -> row.getLong("sequence_nr"))
        .distinct()
        .toList();
  }

  @Test
  @Order(3)
  void lateWritesToSealedWindowsWinAndRepeatsChangeNothing() {
    long start = region(2);
    Series series = Series.of("late.rewrite", Map.of("host", "a"));
    written.add(series);
    // Three minutes, six samples in each one-minute window.
    client.putAll(series, every10s(start, 18, i -> i + 0.5));
    awaitChunkSamples(start, 18);

    // A sample of now opens a chunk of the current minute, so that the rewrites below are late
    // samples of the head, sealed on their own while that chunk stays open.
    client.putAll(series, new TreeMap<>(Map.of(secondsAgo(1), 99.0)));

    // New values for timestamps already sealed: three of the first window, one of the third.
    SortedMap<Long, Double> rewrites = new TreeMap<>();
    for (int i : new int[] {3, 4, 5, 12}) {
      rewrites.put(start + i * STEP, 100 + i + 0.25);
    }
    client.putAll(series, rewrites);
    // From the head, over the chunk table's.
    client.assertReadsExactly(List.of(series), start, start + 3 * MINUTE, STEP);

    awaitChunkSamples(start, 18 + 4);
    // From later chunks of the same windows, over the earlier ones, which stay as they were.
    client.assertReadsExactly(List.of(series), start, start + 3 * MINUTE, STEP);
    Map<Long, List<Integer>> samplesBySeqInWindow =
        chunkRows(cql, keyspace, start, start + 10 * MINUTE).stream()
            .sorted(Comparator.comparingLong(ChunkRow::seq))
            .collect(
                Collectors.groupingBy(
                    row -> (row.startMs() - start) / MINUTE,
                    TreeMap::new,
                    Collectors.mapping(ChunkRow::samples, Collectors.toList())));
    assertThat(samplesBySeqInWindow)
        .isEqualTo(Map.of(0L, List.of(6, 3), 1L, List.of(6), 2L, List.of(6, 1)));

    // The same samples again, an original one and a rewritten one: reads do not change.
    SortedMap<Long, Double> repeats = new TreeMap<>();
    repeats.put(start + 7 * STEP, series.samples().get(start + 7 * STEP));
    repeats.put(start + 4 * STEP, series.samples().get(start + 4 * STEP));
    Map<Long, Double> before = new TreeMap<>(series.samples());
    client.putAll(series, repeats);
    assertThat(series.samples()).isEqualTo(before);
    client.assertReadsExactly(List.of(series), start, start + 3 * MINUTE, STEP);
    // The head cannot know that the chunk table holds them already, so they are sealed again,
    // each in a chunk of its own, which reads merge as the later write of the same value.
    awaitChunkSamples(start, 18 + 4 + 2);
    client.assertReadsExactly(List.of(series), start, start + 3 * MINUTE, STEP);
    assertThat(client.last(series)).isEqualTo(series.samples().lastEntry());
  }

  /**
   * A head keeps one compacted part of 120 samples besides its open chunk (head-parts = 1): a
   * window of 300 samples in time order, written at once, goes to the chunk table as its first part
   * alone, then the rest when the window is sealed (in the same look here, the window being over),
   * and reads, before and after the restart (below), return every sample exactly.
   */
  @Test
  @Order(4)
  void partsBeyondTheKeptOneGoToTheChunkTableAsRowsOfTheirOwn() {
    long start = region(5);
    Series series = Series.of("parts_prom", Map.of("job", "engine", "instance", "p1"));
    written.add(series);
    client.remoteWriteAll(
        Map.of(series, every(start + 17, 300, 150, i -> 1000 + 0.25 * i + (i % 7) * 0.01)));

    awaitChunkSamples(start, 300);

    List<ChunkRow> rows = new ArrayList<>(chunkRows(cql, keyspace, start, start + 10 * MINUTE));
    rows.sort(Comparator.comparingLong(ChunkRow::seq));
    assertThat(rows).extracting(ChunkRow::samples).containsExactly(120, 180);
    assertThat(rows.get(0).startMs()).isEqualTo(start + 17);
    assertThat(rows.get(1).startMs()).isEqualTo(start + 17 + 120 * 150);
    client.assertReadsExactly(List.of(series), start - MINUTE, start + 2 * MINUTE, 150);
  }

  @Test
  @Order(5)
  void concurrentWritersAcrossSealingLoseNothing() throws Exception {
    long start = region(4);
    // Three series with a sample every second for four minutes, written by eight concurrent
    // writers (OpenTSDB and remote write alternately) each taking every eighth second: windows
    // get sealed while writers still add to them, so most windows end up in several chunks.
    List<Series> series = new ArrayList<>();
    for (String host : List.of("a", "b", "c")) {
      series.add(Series.of("concurrent_write", Map.of("host", host)));
    }
    int seconds = 240;
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  for (int k = writer; k < seconds; k += 2 * writers) {
                    Map<Series, SortedMap<Long, Double>> samples = new LinkedHashMap<>();
                    for (int s = 0; s < series.size(); s++) {
                      SortedMap<Long, Double> points = new TreeMap<>();
                      for (int j = k; j < Math.min(seconds, k + 2 * writers); j += writers) {
                        points.put(start + j * 1000L, s * 1000 + j + 0.125);
                      }
                      samples.put(series.get(s), points);
                    }
                    if (writer % 2 == 0) {
                      RemoteWriteClient.Response response = client.remoteWrite(samples);
                      assertThat(response.status()).as(response.body()).isEqualTo(204);
                    } else {
                      List<ObjectNode> points = new ArrayList<>();
                      samples.forEach(
                          (one, values) ->
                              values.forEach((ts, value) -> points.add(point(one, ts, value))));
                      Http.Response put = client.putDetails(points);
                      assertThat(put.status()).as(put.body()).isEqualTo(200);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> writer : done) {
        writer.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int s = 0; s < series.size(); s++) {
      int index = s;
      series.get(s).samples().putAll(every(start, seconds, 1000, j -> index * 1000 + j + 0.125));
    }
    written.addAll(series);

    awaitChunkSamples(start, (long) seconds * series.size());
    client.assertReadsExactly(series, start - MINUTE, start + 10 * MINUTE, 1000);
  }

  @Test
  @Order(6)
  void aRestartedNodeReadsEverySampleExactly() {
    long start = region(3);
    Series series = Series.of("restart.mixed", Map.of("host", "a"));
    written.add(series);
    client.putAll(series, every10s(start, 24, i -> 1.0 / (i + 1)));
    awaitChunkSamples(start, 24);
    // The latest samples, of the current minute, may still be in the head (and only the journal
    // and snapshots) when the node stops.
    SortedMap<Long, Double> recent = new TreeMap<>();
    for (int s = 3; s >= 1; s--) {
      recent.put(secondsAgo(s), 7.0 * s);
    }
    client.putAll(series, recent);

    node.close();
    node = null;
    startNode();

    long from = region(0) - MINUTE;
    client.assertReadsExactly(written, from, System.currentTimeMillis() + MINUTE, STEP);
    for (Series each : written) {
      assertThat(client.last(each)).as("last of " + each).isEqualTo(each.samples().lastEntry());
    }

    // A late write after the restart: its chunk starts where the window's first chunk does, so
    // only a new seq keeps it from replacing that chunk's row (the recovered group must go on
    // from its seqs, not start them again).
    client.putAll(series, new TreeMap<>(Map.of(start, -1.0)));
    awaitChunkSamples(start, 24 + 1);
    client.assertReadsExactly(List.of(series), start, start + 4 * MINUTE, STEP);
    List<ChunkRow> rows = chunkRows(cql, keyspace, start, start + 10 * MINUTE);
    assertThat(rows.stream().map(ChunkRow::seq).distinct()).hasSize(rows.size());
  }
}
