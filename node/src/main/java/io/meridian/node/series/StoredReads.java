package io.meridian.node.series;

import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.chunk.XorChunk;
import java.util.Comparator;
import java.util.List;

/** Merges a series' sealed chunks from the chunk table with the samples of its group's head. */
final class StoredReads {

  private StoredReads() {}

  /**
   * The samples of {@code head}'s series in {@code [fromMs, toMs]}: those of {@code stored} (the
   * series' chunks from the chunk table, any order) in seq order, then the head's on top; where two
   * hold a timestamp the later write wins (a greater seq, and the head over any chunk).
   */
  static SeriesSamples merge(SeriesSamples head, List<StoredChunk> stored, long fromMs, long toMs) {
    Chunk result = Chunk.EMPTY;
    List<StoredChunk> bySeq =
        stored.stream().sorted(Comparator.comparingLong(StoredChunk::seq)).toList();
    for (StoredChunk chunk : bySeq) {
      XorChunk xor = new XorChunk(chunk.data());
      Chunk part = GroupState.decode(xor.iterator(), xor.count()).slice(fromMs, toMs);
      result = Chunk.merge(result, part);
    }
    result = Chunk.merge(result, new Chunk(head.timestamps(), head.values()));
    return new SeriesSamples(head.key(), result.timestamps(), result.values());
  }
}
