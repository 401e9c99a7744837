package io.meridian.ops.bench;

import io.meridian.node.series.ChunkStore;
import io.meridian.node.series.StoredChunk;
import io.meridian.protocol.chunk.XorChunk;
import io.meridian.protocol.chunk.XorChunkEncoder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;

/**
 * Writes the fill rounds of a {@link RestartPlan} (the bulk of a week) straight into the chunk
 * table, as the node's series groups would have sealed them: one chunk per series and chunk-span
 * window, Gorilla-encoded and {@link XorChunk#compact() compacted} as a group seals, filed under
 * the group and group-local id the node gave the series, with the TTL the node would give. Writes
 * go through the node's own {@link ChunkStore} (the Cassandra one, on the journal's session), a
 * bounded number of batches at a time.
 *
 * <p>Series are advanced window by window (all series' chunks of one window, then the next), as
 * sealing would write them; several threads each take every {@code threads}-th series.
 */
final class ChunkFill {

  /**
   * Seqs of filled chunks start here, below every seq a group gives its own chunks (it counts from
   * 0), so that wherever a filled chunk and one the node sealed hold the same timestamp, the node's
   * wins, as the later write it would be. Within a group they still ascend with the windows.
   */
  static final long SEQ_BASE = -(1L << 40);

  /** Attempts of one batch's write: the chunk store's writes are idempotent. */
  private static final int ATTEMPTS = 3;

  private final NodeExporterSeries generated;
  private final RestartPlan plan;
  private final String tenant;
  private final int[] groupOf;
  private final long[] idOf;
  private final long retentionMs;
  private final AtomicLong[] nextSeq;

  /**
   * @param groupOf each series' group, by generator index
   * @param idOf each series' id within its group, by generator index
   * @param groups the node's number of groups
   * @param retentionMs the node's retention, for the chunks' TTL (0: none)
   */
  ChunkFill(
      NodeExporterSeries generated,
      RestartPlan plan,
      String tenant,
      int[] groupOf,
      long[] idOf,
      int groups,
      long retentionMs) {
    this.generated = generated;
    this.plan = plan;
    this.tenant = tenant;
    this.groupOf = groupOf;
    this.idOf = idOf;
    this.retentionMs = retentionMs;
    this.nextSeq = new AtomicLong[groups];
    for (int g = 0; g < groups; g++) {
      nextSeq[g] = new AtomicLong();
    }
  }

  /** What a fill wrote. */
  record Result(long rows, long samples, long bytes, double seconds) {}

  /**
   * The first window holding fill rounds of any series, and the last (inclusive).
   *
   * @return {first, last}
   */
  long[] windows() {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int i = 0; i < generated.size(); i++) {
      first = Math.min(first, plan.windowOf(generated.timestamp(i, plan.firstFillRound())));
      last = Math.max(last, plan.windowOf(generated.timestamp(i, plan.fillEndRound() - 1)));
    }
    return new long[] {first, last};
  }

  /**
   * The chunk of series {@code index} in {@code window}: its fill rounds from {@code nextRound[0]}
   * whose samples fall in the window, advancing the generator and the cursor past them; null if it
   * has none there.
   */
  StoredChunk chunk(int index, long window, long[] nextRound) {
    long windowEnd = (window + 1) * plan.chunkSpanMs();
    XorChunkEncoder encoder = null;
    long round = nextRound[0];
    for (; round < plan.fillEndRound(); round++) {
      long timestamp = generated.timestamp(index, round);
      if (timestamp >= windowEnd) {
        break;
      }
      if (encoder == null) {
        encoder = new XorChunkEncoder();
      }
      encoder.append(timestamp, generated.next(index, timestamp));
    }
    nextRound[0] = round;
    if (encoder == null) {
      return null;
    }
    XorChunk chunk = encoder.toChunk().compact();
    int group = groupOf[index];
    return new StoredChunk(
        tenant,
        group,
        StoredChunk.dayOf(chunk.minTimestamp()),
        idOf[index],
        chunk.minTimestamp(),
        chunk.maxTimestamp(),
        SEQ_BASE + nextSeq[group].getAndIncrement(),
        chunk.count(),
        chunk.data());
  }

  /**
   * Writes every fill chunk, {@code batchSize} chunks a write and at most {@code batchesInFlight}
   * writes at a time, printing progress every {@code progressEvery}.
   *
   * @throws IllegalStateException if a batch could not be written after {@value #ATTEMPTS} attempts
   */
  Result run(
      ChunkStore store,
      int threads,
      int batchSize,
      int batchesInFlight,
      long expectedRows,
      PrintWriter out,
      Duration progressEvery)
      throws InterruptedException {
    long started = System.nanoTime();
    long[] windows = windows();
    Writer writer = new Writer(store, batchesInFlight);
    ScheduledExecutorService progress =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "fill-progress");
              thread.setDaemon(true);
              return thread;
            });
    progress.scheduleAtFixedRate(
        () -> {
          double seconds = (System.nanoTime() - started) / 1e9;
          long rows = writer.rows.get();
          out.printf(
              Locale.ROOT,
              "fill: %,d of %,d rows (%.1f %%), %,.0f rows/s, %,.0f samples/s, %.1f s%n",
              rows,
              expectedRows,
              expectedRows == 0 ? 100.0 : 100.0 * rows / expectedRows,
              rows / seconds,
              writer.samples.get() / seconds,
              seconds);
          out.flush();
        },
        progressEvery.toMillis(),
        progressEvery.toMillis(),
        TimeUnit.MILLISECONDS);
    List<Thread> producers = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try {
      for (int k = 0; k < threads; k++) {
        int own = k;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    produce(own, threads, windows, writer, batchSize);
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    writer.fail(e);
                  }
                },
                "fill-" + k);
        producers.add(thread);
        thread.start();
      }
      for (Thread thread : producers) {
        thread.join();
      }
      writer.awaitAll();
    } finally {
      progress.shutdownNow();
    }
    Throwable failed = failure.get() != null ? failure.get() : writer.failure.get();
    if (failed != null) {
      throw new IllegalStateException("the fill failed: " + failed, failed);
    }
    return new Result(
        writer.rows.get(),
        writer.samples.get(),
        writer.bytes.get(),
        (System.nanoTime() - started) / 1e9);
  }

  private void produce(int own, int threads, long[] windows, Writer writer, int batchSize)
      throws InterruptedException {
    int mine = (generated.size() - own + threads - 1) / threads;
    long[][] cursors = new long[mine][];
    for (int j = 0; j < mine; j++) {
      cursors[j] = new long[] {plan.firstFillRound()};
    }
    Map<Integer, List<StoredChunk>> byTtl = new HashMap<>();
    for (long window = windows[0]; window <= windows[1] && writer.failure.get() == null; window++) {
      for (int j = 0; j < mine; j++) {
        int index = own + j * threads;
        StoredChunk chunk = chunk(index, window, cursors[j]);
        if (chunk == null) {
          continue;
        }
        int ttl = RestartPlan.ttlSeconds(chunk.endMs(), System.currentTimeMillis(), retentionMs);
        List<StoredChunk> batch = byTtl.computeIfAbsent(ttl, t -> new ArrayList<>(batchSize));
        batch.add(chunk);
        if (batch.size() >= batchSize) {
          byTtl.remove(ttl);
          writer.submit(batch, ttl);
        }
      }
    }
    for (Map.Entry<Integer, List<StoredChunk>> rest : byTtl.entrySet()) {
      writer.submit(rest.getValue(), rest.getKey());
    }
  }

  /** Writes batches, a bounded number at a time, counting what is written. */
  private static final class Writer {
    private final ChunkStore store;
    private final int inFlight;
    private final Semaphore permits;
    final AtomicLong rows = new AtomicLong();
    final AtomicLong samples = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Writer(ChunkStore store, int inFlight) {
      this.store = store;
      this.inFlight = inFlight;
      this.permits = new Semaphore(inFlight);
    }

    void submit(List<StoredChunk> batch, int ttl) throws InterruptedException {
      permits.acquire();
      write(batch, ttl, 1)
          .whenComplete(
              (done, error) -> {
                if (error == null) {
                  rows.addAndGet(batch.size());
                  for (StoredChunk chunk : batch) {
                    samples.addAndGet(chunk.samples());
                    bytes.addAndGet(chunk.data().length);
                  }
                } else {
                  failure.compareAndSet(null, error);
                }
                permits.release();
              });
    }

    private CompletionStage<Done> write(List<StoredChunk> batch, int ttl, int attempt) {
      CompletionStage<Done> written;
      try {
        written = store.write(batch, ttl);
      } catch (RuntimeException e) {
        written = CompletableFuture.failedFuture(e);
      }
      return attempt >= ATTEMPTS
          ? written
          : written.exceptionallyCompose(error -> write(batch, ttl, attempt + 1));
    }

    void fail(Throwable error) {
      failure.compareAndSet(null, error);
    }

    /** Waits until every submitted batch is written or failed. */
    void awaitAll() throws InterruptedException {
      permits.acquire(inFlight);
      permits.release(inFlight);
    }
  }
}
