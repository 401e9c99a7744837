package io.meridian.node.series;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.chunk.XorChunk;
import java.util.List;

/**
 * What a series group's snapshot holds: an immutable copy of its {@link GroupState}, every series'
 * key, id and head, with chunks in their compressed form. Its size is bounded by the heads, which
 * sealing keeps to about one chunk window per series, not by the group's history.
 *
 * <p>Serialized as {@code {nextSeriesId, nextChunkSeq, block}} with the series as one {@link
 * SnapshotBlock} byte string; a snapshot of the earlier form, with {@code series} as a CBOR array
 * of objects, still reads.
 */
@JsonIgnoreProperties(value = "series", allowSetters = true)
record GroupSnapshot(long nextSeriesId, long nextChunkSeq, List<SeriesImage> series)
    implements CborSerializable {

  @JsonCreator
  static GroupSnapshot fromJson(
      @JsonProperty("nextSeriesId") long nextSeriesId,
      @JsonProperty("nextChunkSeq") long nextChunkSeq,
      @JsonProperty("block") byte[] block,
      @JsonProperty("series") List<SeriesImage> series) {
    return new GroupSnapshot(
        nextSeriesId,
        nextChunkSeq,
        block != null ? SnapshotBlock.decode(block) : series == null ? List.of() : series);
  }

  /** The series as the snapshot store holds them. */
  @JsonProperty("block")
  byte[] block() {
    return SnapshotBlock.encode(series);
  }

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
