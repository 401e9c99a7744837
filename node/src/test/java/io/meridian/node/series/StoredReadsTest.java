package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.chunk.XorChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sealed chunks and the head read back as one series; where they overlap the later write wins. */
class StoredReadsTest {

  private static final SeriesKey KEY = SeriesKey.of("t", "m", Map.of());

  private static StoredChunk chunk(long seq, long[] timestamps, double[] values) {
    XorChunk xor = XorChunk.encode(timestamps, values);
    return new StoredChunk(
        "t",
        0,
        0,
        1,
        timestamps[0],
        timestamps[timestamps.length - 1],
        seq,
        timestamps.length,
        xor.data());
  }

  private static SeriesSamples head(long[] timestamps, double[] values) {
    return new SeriesSamples(KEY, timestamps, values);
  }

  @Test
  void disjointChunksAndHeadFollowOneAnotherInTimeWhateverTheirOrder() {
    var stored =
        List.of(
            chunk(7, new long[] {300, 400}, new double[] {3, 4}),
            chunk(2, new long[] {100, 200}, new double[] {1, 2}),
            chunk(9, new long[] {500}, new double[] {5}));
    var merged =
        StoredReads.merge(head(new long[] {600, 700}, new double[] {6, 7}), stored, 0, 1000);
    assertThat(merged.key()).isEqualTo(KEY);
    assertThat(merged.timestamps()).containsExactly(100, 200, 300, 400, 500, 600, 700);
    assertThat(merged.values()).containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void overlappingWritesResolveBySeqThenHead() {
    var stored =
        List.of(
            chunk(5, new long[] {200, 300}, new double[] {20, 30}),
            chunk(1, new long[] {100, 200, 300, 400}, new double[] {1, 2, 3, 4}));
    var merged =
        StoredReads.merge(head(new long[] {300, 500}, new double[] {300, 5}), stored, 0, 1000);
    assertThat(merged.timestamps()).containsExactly(100, 200, 300, 400, 500);
    assertThat(merged.values()).containsExactly(1, 20, 300, 4, 5);
  }

  @Test
  void chunksAreClippedToTheRangeAndEmptyPartsVanish() {
    var stored =
        List.of(
            chunk(1, new long[] {100, 200}, new double[] {1, 2}),
            chunk(2, new long[] {300, 400}, new double[] {3, 4}));
    var merged = StoredReads.merge(head(new long[0], new double[0]), stored, 150, 350);
    assertThat(merged.timestamps()).containsExactly(200, 300);
    assertThat(merged.values()).containsExactly(2, 3);
    var none = StoredReads.merge(head(new long[0], new double[0]), List.of(), 0, 1000);
    assertThat(none.timestamps()).isEmpty();
    var headOnly = StoredReads.merge(head(new long[] {1}, new double[] {9}), stored, 500, 1000);
    assertThat(headOnly.timestamps()).containsExactly(1);
  }
}
