package io.meridian.node.series;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.pekko.Done;

/**
 * A {@link ChunkStore} in memory, for unit tests of the node and http modules: what Pekko's
 * in-memory {@code PersistenceTestKit} journal is to the events, this is to the sealed chunks. It
 * keys chunks like the Cassandra table, (tenant, group, day) then (seriesId, startMs, seq), so
 * writing the same key again replaces the chunk, and refuses the chunks that table would refuse
 * ({@link ChunkTableSchema#check}).
 *
 * <p>It ignores the TTL (after checking it is one Cassandra accepts): chunks stay until the store
 * is dropped, so tests of retention need {@link CassandraChunkStore}. It copies chunk data on the
 * way in and out, as a round trip through Cassandra would, so callers cannot change stored chunks
 * through their arrays. Safe for use from any thread; every future it returns is already complete.
 */
public final class InMemoryChunkStore implements ChunkStore {

  private static final Comparator<Clustering> CLUSTERING_ORDER =
      Comparator.comparingLong(Clustering::seriesId)
          .thenComparingLong(Clustering::startMs)
          .thenComparingLong(Clustering::seq);

  private final Map<Partition, NavigableMap<Clustering, StoredChunk>> partitions =
      new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Done> write(List<StoredChunk> chunks, int ttlSeconds) {
    try {
      ChunkTableSchema.check(chunks, ttlSeconds);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    for (StoredChunk chunk : chunks) {
      partitions
          .computeIfAbsent(
              new Partition(chunk.tenant(), chunk.group(), chunk.day()),
              partition -> new ConcurrentSkipListMap<>(CLUSTERING_ORDER))
          .put(new Clustering(chunk.seriesId(), chunk.startMs(), chunk.seq()), copy(chunk));
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<List<StoredChunk>> read(
      String tenant, int group, Collection<Long> seriesIds, long fromMs, long toMs) {
    List<StoredChunk> found = new ArrayList<>();
    if (seriesIds.isEmpty() || toMs < fromMs) {
      return CompletableFuture.completedFuture(found);
    }
    TreeSet<Long> ids = new TreeSet<>(seriesIds);
    // Chunks never span days, so those of days before fromMs's end before it.
    for (long day = StoredChunk.dayOf(fromMs); day <= StoredChunk.dayOf(toMs); day++) {
      NavigableMap<Clustering, StoredChunk> partition =
          partitions.get(new Partition(tenant, group, day));
      if (partition == null) {
        continue;
      }
      for (long id : ids) {
        for (StoredChunk chunk :
            partition
                .subMap(
                    new Clustering(id, Long.MIN_VALUE, Long.MIN_VALUE),
                    true,
                    new Clustering(id, toMs, Long.MAX_VALUE),
                    true)
                .values()) {
          if (chunk.endMs() >= fromMs) {
            found.add(copy(chunk));
          }
        }
      }
    }
    return CompletableFuture.completedFuture(found);
  }

  /** How many chunks the store holds, over all tenants and groups. */
  public int size() {
    return partitions.values().stream().mapToInt(Map::size).sum();
  }

  private static StoredChunk copy(StoredChunk chunk) {
    return new StoredChunk(
        chunk.tenant(),
        chunk.group(),
        chunk.day(),
        chunk.seriesId(),
        chunk.startMs(),
        chunk.endMs(),
        chunk.seq(),
        chunk.samples(),
        chunk.data().clone());
  }

  /** The Cassandra table's partition key. */
  private record Partition(String tenant, int group, long day) {}

  /** The Cassandra table's clustering key, within a partition. */
  private record Clustering(long seriesId, long startMs, long seq) {}
}
