package io.meridian.node.series;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Where series groups put sealed chunks and where reads of older data find them: the chunk table in
 * Cassandra ({@link CassandraChunkStore}), or memory in unit tests ({@link InMemoryChunkStore}).
 *
 * <p>Writes are idempotent: writing a chunk with the same (tenant, group, day, seriesId, startMs,
 * seq) again replaces it with identical content. Every method may be called from any thread.
 */
public interface ChunkStore {

  /**
   * Stores chunks, each expiring {@code ttlSeconds} after now (0: never). Completes once all are
   * durable, or exceptionally if any write failed (then some may be stored; writing all again is
   * safe).
   */
  CompletionStage<Done> write(List<StoredChunk> chunks, int ttlSeconds);

  /**
   * The chunks of the given series of one group that may hold samples in {@code [fromMs, toMs]}
   * (their {@code [startMs, endMs]} overlaps it), in any order. Reads the days' partitions in
   * parallel.
   */
  CompletionStage<List<StoredChunk>> read(
      String tenant, int group, Collection<Long> seriesIds, long fromMs, long toMs);
}
