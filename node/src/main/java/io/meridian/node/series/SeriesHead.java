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

  /** Whether any sample has {@code startMs <= t <= endMs}, without copying samples. */
  boolean hasSamplesIn(long startMs, long endMs) {
    for (Chunk chunk : chunks) {
      if (chunk.hasSamplesIn(startMs, endMs)) {
        return true;
      }
    }
    return false;
  }

  /** The sample with the greatest timestamp (the newest write of it), or no sample. */
  SeriesSamples latest() {
    long bestTs = Long.MIN_VALUE;
    double bestValue = Double.NaN;
    boolean found = false;
    for (Chunk chunk : chunks) {
      int last = chunk.size() - 1;
      // Chunks are in write order, so a later chunk holding the same timestamp overrides.
      if (last >= 0 && (!found || chunk.timestamps()[last] >= bestTs)) {
        bestTs = chunk.timestamps()[last];
        bestValue = chunk.values()[last];
        found = true;
      }
    }
    return found
        ? new SeriesSamples(key, new long[] {bestTs}, new double[] {bestValue})
        : new SeriesSamples(key, new long[0], new double[0]);
  }

  long sampleCount() {
    long n = 0;
    for (Chunk chunk : chunks) {
      n += chunk.size();
    }
    return n;
  }
}
