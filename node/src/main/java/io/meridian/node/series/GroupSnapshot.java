package io.meridian.node.series;

import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.chunk.XorChunk;
import java.util.List;

/**
 * What a series group's snapshot holds: an immutable copy of its {@link GroupState}, every series'
 * key, id and head, with chunks in their compressed form. Its size is bounded by the heads, which
 * sealing keeps to about one chunk window per series, not by the group's history.
 */
record GroupSnapshot(long nextSeriesId, long nextChunkSeq, List<SeriesImage> series)
    implements CborSerializable {

  /**
   * One series of the snapshot; {@code open} is null when the series has no open chunk. A snapshot
   * taken before {@code openWrittenAt} existed reads it as 0: the open chunk is sealed as soon as
   * its window is due.
   */
  record SeriesImage(
      long id,
      SeriesKey key,
      long minTs,
      long maxTs,
      long storedMinTs,
      long storedMaxTs,
      XorChunk open,
      long openWindow,
      long openWrittenAt,
      List<GroupState.Closed> closed,
      long[] lateTimestamps,
      double[] lateValues,
      List<GroupState.Pending> pending) {}
}
