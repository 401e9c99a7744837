package io.meridian.node.series;

import java.util.Arrays;

/**
 * A sealed chunk of one series as the chunk table holds it: Gorilla-compressed samples ({@code
 * data}, an {@code io.meridian.protocol.chunk.XorChunk}'s bytes) of series {@code seriesId} of
 * group {@code group} of {@code tenant}, with timestamps in {@code [startMs, endMs]}. A chunk never
 * spans two UTC days. {@code seq} orders chunks of one group by the time they were sealed: where
 * two chunks of a series hold the same timestamp, the one with the greater seq wins (a later
 * write).
 *
 * @param day the UTC day of {@code startMs}: {@code Math.floorDiv(startMs, 86_400_000)}
 */
public record StoredChunk(
    String tenant,
    int group,
    long day,
    long seriesId,
    long startMs,
    long endMs,
    long seq,
    int samples,
    byte[] data) {

  public static final long DAY_MS = 86_400_000L;

  public static long dayOf(long timestampMs) {
    return Math.floorDiv(timestampMs, DAY_MS);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredChunk other
        && tenant.equals(other.tenant)
        && group == other.group
        && day == other.day
        && seriesId == other.seriesId
        && startMs == other.startMs
        && endMs == other.endMs
        && seq == other.seq
        && samples == other.samples
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seriesId) * 31 + Long.hashCode(seq);
  }

  @Override
  public String toString() {
    return "StoredChunk["
        + tenant
        + "/"
        + group
        + " series "
        + seriesId
        + " "
        + startMs
        + ".."
        + endMs
        + " seq "
        + seq
        + ", "
        + samples
        + " samples, "
        + data.length
        + " bytes]";
  }
}
