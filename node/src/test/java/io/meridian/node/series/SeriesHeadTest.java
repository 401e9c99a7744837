package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesHeadTest {

  private static final SeriesKey KEY = SeriesKey.of("t", "m", Map.of("host", "a"));

  @Test
  void manyAppendsKeepFewChunksAndEverySample() {
    SeriesHead head = SeriesHead.empty(KEY);
    for (int i = 0; i < 1000; i++) {
      head = head.withAppended(new Chunk(new long[] {i}, new double[] {i * 2.0}));
    }

    assertThat(head.chunks().size()).isLessThanOrEqualTo(11);
    var all = head.read(0, Long.MAX_VALUE);
    assertThat(all.size()).isEqualTo(1000);
    assertThat(all.timestamps()[999]).isEqualTo(999);
    assertThat(all.values()[500]).isEqualTo(1000.0);
  }

  @Test
  void outOfOrderAppendsReadBackSortedWithNewestValuePerTimestamp() {
    SeriesHead head =
        SeriesHead.empty(KEY)
            .withAppended(new Chunk(new long[] {10, 30}, new double[] {1, 3}))
            .withAppended(new Chunk(new long[] {20, 30}, new double[] {2, 33}));

    var read = head.read(15, 30);

    assertThat(read.timestamps()).containsExactly(20, 30);
    assertThat(read.values()).containsExactly(2, 33);
  }

  @Test
  void sortedChunkKeepsTheLastOfEqualTimestampsInInputOrder() {
    Chunk chunk = Chunk.sorted(new long[] {5, 1, 5, 3}, new double[] {1, 2, 3, 4});

    assertThat(chunk.timestamps()).containsExactly(1, 3, 5);
    assertThat(chunk.values()).containsExactly(2, 4, 3);
  }
}
