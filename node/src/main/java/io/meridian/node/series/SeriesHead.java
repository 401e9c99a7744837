package io.meridian.node.series;

import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory samples of one series held by its group entity: an immutable list of chunks in
 * write order. Appending adds a chunk and merges neighbours of similar size, like a binary counter,
 * so a head keeps O(log n) chunks and each sample is copied O(log n) times over its life.
 */
record SeriesHead(SeriesKey key, List<Chunk> chunks) implements CborSerializable {

  SeriesHead {
    chunks = List.copyOf(chunks);
  }

  static SeriesHead empty(SeriesKey key) {
    return new SeriesHead(key, List.of());
  }

  SeriesHead withAppended(Chunk chunk) {
    List<Chunk> next = new ArrayList<>(chunks.size() + 1);
    next.addAll(chunks);
    next.add(chunk);
    while (next.size() >= 2
        && next.get(next.size() - 2).size() <= 2 * next.get(next.size() - 1).size()) {
      Chunk newer = next.remove(next.size() - 1);
      Chunk older = next.remove(next.size() - 1);
      next.add(Chunk.merge(older, newer));
    }
    return new SeriesHead(key, next);
  }

  /** Samples with {@code startMs <= t <= endMs}, sorted, later writes winning. */
  SeriesSamples read(long startMs, long endMs) {
    Chunk result = Chunk.EMPTY;
    for (Chunk chunk : chunks) {
      Chunk part = chunk.slice(startMs, endMs);
      if (part.size() > 0) {
        result = result.size() == 0 ? part : Chunk.merge(result, part);
      }
    }
    return new SeriesSamples(key, result.timestamps(), result.values());
  }

  long sampleCount() {
    long n = 0;
    for (Chunk chunk : chunks) {
      n += chunk.size();
    }
    return n;
  }
}
