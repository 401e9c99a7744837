package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryChunkStoreTest {

  private static final long DAY = StoredChunk.DAY_MS;
  private static final long HOUR = 3_600_000L;

  private final InMemoryChunkStore store = new InMemoryChunkStore();

  private static StoredChunk chunk(int group, long seriesId, long startMs, long endMs, long seq) {
    return new StoredChunk(
        "t",
        group,
        StoredChunk.dayOf(startMs),
        seriesId,
        startMs,
        endMs,
        seq,
        3,
        new byte[] {(byte) seriesId, (byte) seq});
  }

  private List<StoredChunk> read(List<Long> ids, long fromMs, long toMs) {
    return store.read("t", 1, ids, fromMs, toMs).toCompletableFuture().join();
  }

  private void write(List<StoredChunk> chunks) {
    store.write(chunks, 3600).toCompletableFuture().join();
  }

  @Test
  void readsTheChunksOfTheSeriesOverlappingTheRange() {
    StoredChunk endsBefore = chunk(1, 7, 10 * DAY, 10 * DAY + HOUR - 1, 1);
    StoredChunk overlapsFrom = chunk(1, 7, 10 * DAY + HOUR, 10 * DAY + 3 * HOUR, 2);
    StoredChunk nextDay = chunk(1, 7, 11 * DAY, 11 * DAY + HOUR, 3);
    StoredChunk startsAtTo = chunk(1, 7, 12 * DAY + HOUR, 12 * DAY + 2 * HOUR, 4);
    StoredChunk afterTo = chunk(1, 7, 12 * DAY + HOUR + 1, 12 * DAY + 2 * HOUR, 5);
    StoredChunk otherSeries = chunk(1, 8, 11 * DAY, 11 * DAY + HOUR, 6);
    StoredChunk otherGroup = chunk(2, 7, 11 * DAY, 11 * DAY + HOUR, 7);
    write(List.of(endsBefore, overlapsFrom, nextDay, startsAtTo, afterTo, otherSeries, otherGroup));

    assertThat(read(List.of(7L, 9L), 10 * DAY + 2 * HOUR, 12 * DAY + HOUR))
        .containsExactlyInAnyOrder(overlapsFrom, nextDay, startsAtTo);
    assertThat(read(List.of(7L, 8L), 11 * DAY, 11 * DAY))
        .containsExactlyInAnyOrder(nextDay, otherSeries);
    assertThat(read(List.of(), 0, 100 * DAY)).isEmpty();
    assertThat(read(List.of(7L), 12 * DAY, 11 * DAY)).isEmpty();
    assertThat(store.size()).isEqualTo(7);
  }

  @Test
  void writingTheSameKeyAgainReplacesTheChunk() {
    StoredChunk first = chunk(1, 7, DAY, DAY + HOUR, 1);
    StoredChunk again =
        new StoredChunk("t", 1, 1, 7, DAY, DAY + 2 * HOUR, 1, 5, new byte[] {42, 43, 44});
    write(List.of(first));
    write(List.of(again));

    assertThat(read(List.of(7L), DAY, 2 * DAY - 1)).containsExactly(again);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void storedChunksDoNotShareTheirArraysWithTheCaller() {
    StoredChunk written = chunk(1, 7, DAY, DAY + HOUR, 1);
    write(List.of(written));
    written.data()[0] = 99;
    read(List.of(7L), DAY, DAY).get(0).data()[1] = 99;

    assertThat(read(List.of(7L), DAY, DAY).get(0).data()).containsExactly(7, 1);
  }

  @Test
  void refusesChunksTheTableCannotHoldAndTtlsCassandraRefuses() {
    StoredChunk wrongDay = new StoredChunk("t", 1, 3, 7, DAY, DAY + 1, 1, 1, new byte[1]);
    StoredChunk spansTwoDays = chunk(1, 7, DAY, 2 * DAY, 1);
    StoredChunk endsBeforeStart = chunk(1, 7, DAY + 5, DAY + 4, 1);

    for (StoredChunk bad : List.of(wrongDay, spansTwoDays, endsBeforeStart)) {
      assertThatThrownBy(() -> store.write(List.of(bad), 0).toCompletableFuture().join())
          .as("%s", bad)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(IllegalArgumentException.class);
    }
    StoredChunk fine = chunk(1, 7, DAY, DAY + 1, 1);
    for (int ttl : new int[] {-1, ChunkTableSchema.MAX_TTL_SECONDS + 1}) {
      assertThatThrownBy(() -> store.write(List.of(fine), ttl).toCompletableFuture().join())
          .hasCauseInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.size()).isZero();
  }

  @Test
  void concurrentWritersLoseNoChunk() throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int writer = 0; writer < 4; writer++) {
        long series = writer;
        done.add(
            writers.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    write(List.of(chunk(1, series, DAY + i * 10L, DAY + i * 10L + 9, i)));
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
    }

    assertThat(read(List.of(0L, 1L, 2L, 3L), DAY, 2 * DAY - 1)).hasSize(2000);
  }
}
