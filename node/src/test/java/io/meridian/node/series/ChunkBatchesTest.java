package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunk writes go to Cassandra as batches of one partition each, bounded in chunks and bytes. */
class ChunkBatchesTest {

  private static final long DAY = StoredChunk.DAY_MS;

  private static StoredChunk chunk(String tenant, int group, long day, long id, int bytes) {
    return new StoredChunk(
        tenant, group, day, id, day * DAY + id, day * DAY + id + 1, id, 1, new byte[bytes]);
  }

  @Test
  void everyChunkOnceEachBatchOnePartitionWithinTheBounds() {
    Random random = new Random(3);
    List<StoredChunk> chunks = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      chunks.add(
          chunk(
              random.nextBoolean() ? "a" : "b",
              random.nextInt(3),
              random.nextInt(2),
              i,
              random.nextInt(10) == 0 ? 3_000 : 300));
    }
    List<List<StoredChunk>> batches = CassandraChunkStore.batches(chunks, 100, 100_000);
    List<StoredChunk> all = new ArrayList<>();
    for (List<StoredChunk> batch : batches) {
      assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(100);
      assertThat(batch.stream().mapToInt(c -> c.data().length).sum()).isLessThanOrEqualTo(100_000);
      StoredChunk first = batch.get(0);
      assertThat(batch)
          .allMatch(
              c ->
                  c.tenant().equals(first.tenant())
                      && c.group() == first.group()
                      && c.day() == first.day());
      // Within a partition the chunks keep their order.
      for (int i = 1; i < batch.size(); i++) {
        assertThat(batch.get(i).seriesId()).isGreaterThan(batch.get(i - 1).seriesId());
      }
      all.addAll(batch);
    }
    assertThat(all).containsExactlyInAnyOrderElementsOf(chunks);
    // 12 partitions of ~167 chunks: two batches each.
    assertThat(batches).hasSize(24);
  }

  @Test
  void aChunkLargerThanABatchGoesAlone() {
    List<StoredChunk> chunks =
        List.of(chunk("a", 0, 0, 1, 10), chunk("a", 0, 0, 2, 50), chunk("a", 0, 0, 3, 10));
    assertThat(CassandraChunkStore.batches(chunks, 100, 20))
        .containsExactly(List.of(chunks.get(0)), List.of(chunks.get(1)), List.of(chunks.get(2)));
    assertThat(CassandraChunkStore.batches(chunks, 2, 1_000))
        .containsExactly(List.of(chunks.get(0), chunks.get(1)), List.of(chunks.get(2)));
    assertThat(CassandraChunkStore.batches(List.of(), 2, 1_000)).isEmpty();
  }
}
