package io.meridian.node.series;

import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.chunk.XorChunk;
import java.util.ArrayList;
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
    List<StoredChunk> bySeq =
        stored.stream().sorted(Comparator.comparingLong(StoredChunk::seq)).toList();
    List<Chunk> parts = new ArrayList<>(bySeq.size() + 1);
    for (StoredChunk chunk : bySeq) {
      XorChunk xor = new XorChunk(chunk.data());
      Chunk part = GroupState.decode(xor.iterator(), xor.count()).slice(fromMs, toMs);
      if (part.size() > 0) {
        parts.add(part);
      }
    }
    if (head.size() > 0) {
      parts.add(new Chunk(head.timestamps(), head.values()));
    }
    Chunk result = concatenated(parts);
    if (result == null) {
      // Parts overlap (rewrites of sealed samples): merge them in order, later writes on top.
      result = Chunk.EMPTY;
      for (Chunk part : parts) {
        result = Chunk.merge(result, part);
      }
    }
    return new SeriesSamples(head.key(), result.timestamps(), result.values());
  }

  /**
   * The parts one after another when none overlaps another in time (the usual case: one sealed
   * chunk per window, the head after them), in one copy instead of a merge per part; null when some
   * overlap, so that which write wins matters.
   */
  private static Chunk concatenated(List<Chunk> parts) {
    if (parts.size() <= 1) {
      return parts.isEmpty() ? Chunk.EMPTY : parts.get(0);
    }
    List<Chunk> byTime = new ArrayList<>(parts);
    byTime.sort(Comparator.comparingLong(part -> part.timestamps()[0]));
    int total = 0;
    for (int i = 0; i < byTime.size(); i++) {
      Chunk part = byTime.get(i);
      if (i > 0) {
        long[] previous = byTime.get(i - 1).timestamps();
        if (previous[previous.length - 1] >= part.timestamps()[0]) {
          return null;
        }
      }
      total += part.size();
    }
    long[] timestamps = new long[total];
    double[] values = new double[total];
    int at = 0;
    for (Chunk part : byTime) {
      System.arraycopy(part.timestamps(), 0, timestamps, at, part.size());
      System.arraycopy(part.values(), 0, values, at, part.size());
      at += part.size();
    }
    return new Chunk(timestamps, values);
  }
}
