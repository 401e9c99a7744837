package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.node.series.ChunkStore;
import io.meridian.node.series.InMemoryChunkStore;
import io.meridian.node.series.StoredChunk;
import io.meridian.protocol.chunk.SampleIterator;
import io.meridian.protocol.chunk.XorChunk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;

/** The chunk-table fill of {@code bench restart}: {@link ChunkFill} on an in-memory store. */
class RestartFillTest {

  private static final int SERIES = 60;
  private static final int PER_HOST = 20;
  private static final int GROUPS = 4;
  private static final long RETENTION_MS = Duration.ofDays(15).toMillis();

  private final long now = Instant.parse("2026-11-26T03:21:00Z").toEpochMilli();
  private final RestartPlan plan =
      RestartPlan.of(
          now,
          Duration.ofDays(1),
          Duration.ofMinutes(3),
          Duration.ofHours(2),
          Duration.ofMinutes(10));

  /**
   * A store that remembers each write's TTL and fails the first attempt of every other batch. The
   * batches are told apart by their first chunk: with writes in flight at once, counting calls
   * alone would fail some batch's retries too, and then the whole fill, now and then.
   */
  private static final class Recording implements ChunkStore {
    final InMemoryChunkStore store = new InMemoryChunkStore();
    final List<StoredChunk> written = new CopyOnWriteArrayList<>();
    final Map<Long, Integer> ttlBySeq = new ConcurrentHashMap<>();
    final Set<Long> seen = ConcurrentHashMap.newKeySet();
    final AtomicInteger batches = new AtomicInteger();
    final boolean flaky;

    Recording(boolean flaky) {
      this.flaky = flaky;
    }

    @Override
    public CompletionStage<Done> write(List<StoredChunk> chunks, int ttlSeconds) {
      StoredChunk first = chunks.get(0);
      if (flaky
          && seen.add(first.group() * 1_000_000_000_000L + first.seq())
          && batches.getAndIncrement() % 2 == 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("write timeout"));
      }
      written.addAll(chunks);
      chunks.forEach(c -> ttlBySeq.put(c.group() * 1_000_000_000_000L + c.seq(), ttlSeconds));
      return store.write(chunks, ttlSeconds);
    }

    @Override
    public CompletionStage<List<StoredChunk>> read(
        String tenant, int group, Collection<Long> seriesIds, long fromMs, long toMs) {
      return store.read(tenant, group, seriesIds, fromMs, toMs);
    }
  }

  /** A generator past round 0, as the anchor's remote write leaves it. */
  private NodeExporterSeries afterRoundZero() {
    NodeExporterSeries generated =
        new NodeExporterSeries(SERIES, PER_HOST, plan.originMs(), plan.intervalMs(), 7);
    for (int i = 0; i < SERIES; i++) {
      generated.next(i, generated.timestamp(i, 0));
    }
    return generated;
  }

  private ChunkFill fill(NodeExporterSeries generated) {
    int[] groups = new int[SERIES];
    long[] ids = new long[SERIES];
    for (int i = 0; i < SERIES; i++) {
      groups[i] = i % GROUPS;
      ids[i] = 100 + i / GROUPS;
    }
    return new ChunkFill(generated, plan, "t1", groups, ids, GROUPS, RETENTION_MS);
  }

  private ChunkFill.Result run(ChunkFill fill, ChunkStore store, int threads, long rows)
      throws InterruptedException {
    return fill.run(
        store, threads, 7, 3, rows, new PrintWriter(new StringWriter()), Duration.ofSeconds(10));
  }

  @Test
  void writesEachSeriesFillRoundsAsOneChunkPerWindowWithTheNodesIds() throws Exception {
    NodeExporterSeries generated = afterRoundZero();
    long rows = plan.fillRows(generated);
    Recording store = new Recording(false);
    ChunkFill.Result result = run(fill(generated), store, 3, rows);

    assertThat(result.rows()).isEqualTo(rows).isEqualTo(store.written.size());
    assertThat(store.store.size()).isEqualTo((int) rows);
    // The fill rounds, one sample per series and round.
    assertThat(result.samples())
        .isEqualTo((long) SERIES * (plan.fillEndRound() - plan.firstFillRound()));

    NodeExporterSeries expected = afterRoundZero();
    for (int i = 0; i < SERIES; i++) {
      int group = i % GROUPS;
      long id = 100 + i / GROUPS;
      List<StoredChunk> chunks =
          store.written.stream()
              .filter(c -> c.group() == group && c.seriesId() == id)
              .sorted(Comparator.comparingLong(StoredChunk::startMs))
              .toList();
      assertThat(chunks).hasSize((int) plan.fillWindows(generated, i));
      List<long[]> samples = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      long previousSeq = Long.MIN_VALUE;
      for (StoredChunk chunk : chunks) {
        assertThat(chunk.tenant()).isEqualTo("t1");
        assertThat(plan.windowOf(chunk.startMs())).isEqualTo(plan.windowOf(chunk.endMs()));
        assertThat(chunk.day()).isEqualTo(StoredChunk.dayOf(chunk.startMs()));
        // Below the node's own seqs, ascending with the windows.
        assertThat(chunk.seq()).isNegative().isGreaterThan(previousSeq);
        previousSeq = chunk.seq();
        XorChunk xor = new XorChunk(chunk.data());
        assertThat(xor.count()).isEqualTo(chunk.samples());
        assertThat(xor.minTimestamp()).isEqualTo(chunk.startMs());
        assertThat(xor.maxTimestamp()).isEqualTo(chunk.endMs());
        SampleIterator it = xor.iterator();
        while (it.next()) {
          samples.add(new long[] {it.timestamp()});
          values.add(it.value());
        }
      }
      long[] rounds = LongStream.range(plan.firstFillRound(), plan.fillEndRound()).toArray();
      assertThat(samples).hasSize(rounds.length);
      for (int r = 0; r < rounds.length; r++) {
        long timestamp = expected.timestamp(i, rounds[r]);
        assertThat(samples.get(r)[0]).isEqualTo(timestamp);
        assertThat(values.get(r)).isEqualTo(expected.next(i, timestamp));
      }
      assertThat(chunks.get(chunks.size() - 1).endMs()).isLessThan(plan.headStartMs());
    }
    // Seqs are unique within a group.
    for (int g = 0; g < GROUPS; g++) {
      int group = g;
      assertThat(
              store.written.stream()
                  .filter(c -> c.group() == group)
                  .map(StoredChunk::seq)
                  .distinct()
                  .count())
          .isEqualTo(store.written.stream().filter(c -> c.group() == group).count());
    }
  }

  @Test
  void chunksCarryTheTtlTheNodeWouldGiveThem() throws Exception {
    NodeExporterSeries generated = afterRoundZero();
    Recording store = new Recording(false);
    long before = System.currentTimeMillis();
    run(fill(generated), store, 1, plan.fillRows(generated));
    long after = System.currentTimeMillis();
    for (StoredChunk chunk : store.written) {
      int ttl = store.ttlBySeq.get(chunk.group() * 1_000_000_000_000L + chunk.seq());
      assertThat(ttl % 3600).isZero();
      assertThat(ttl)
          .isBetween(
              RestartPlan.ttlSeconds(chunk.endMs(), after, RETENTION_MS),
              RestartPlan.ttlSeconds(chunk.endMs(), before, RETENTION_MS));
    }
  }

  @Test
  void failedWritesAreTriedAgain() throws Exception {
    NodeExporterSeries generated = afterRoundZero();
    long rows = plan.fillRows(generated);
    Recording store = new Recording(true);
    ChunkFill.Result result = run(fill(generated), store, 2, rows);
    assertThat(store.seen).as("batches, every other one failed once").hasSizeGreaterThan(1);
    assertThat(result.rows()).isEqualTo(rows);
    assertThat(store.store.size()).isEqualTo((int) rows);
  }

  @Test
  void aWriteFailingEveryTimeFailsTheFill() {
    NodeExporterSeries generated = afterRoundZero();
    ChunkStore broken =
        new ChunkStore() {
          @Override
          public CompletionStage<Done> write(List<StoredChunk> chunks, int ttlSeconds) {
            return CompletableFuture.failedFuture(new IllegalStateException("no Cassandra"));
          }

          @Override
          public CompletionStage<List<StoredChunk>> read(
              String tenant, int group, Collection<Long> ids, long fromMs, long toMs) {
            return CompletableFuture.completedFuture(List.of());
          }
        };
    assertThatThrownBy(() -> run(fill(generated), broken, 2, plan.fillRows(generated)))
        .hasMessageContaining("no Cassandra");
  }

  @Test
  void progressIsReportedWhileFilling() throws Exception {
    NodeExporterSeries generated = afterRoundZero();
    long rows = plan.fillRows(generated);
    StringWriter text = new StringWriter();
    ChunkStore slow =
        new ChunkStore() {
          final InMemoryChunkStore inner = new InMemoryChunkStore();

          @Override
          public CompletionStage<Done> write(List<StoredChunk> chunks, int ttlSeconds) {
            return CompletableFuture.supplyAsync(
                () -> {
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return inner.write(chunks, ttlSeconds).toCompletableFuture().join();
                });
          }

          @Override
          public CompletionStage<List<StoredChunk>> read(
              String tenant, int group, Collection<Long> ids, long fromMs, long toMs) {
            return inner.read(tenant, group, ids, fromMs, toMs);
          }
        };
    fill(generated).run(slow, 1, 7, 1, rows, new PrintWriter(text, true), Duration.ofMillis(20));
    assertThat(text.toString())
        .containsPattern("fill: [0-9,]+ of " + String.format(Locale.ROOT, "%,d", rows) + " rows");
  }
}
