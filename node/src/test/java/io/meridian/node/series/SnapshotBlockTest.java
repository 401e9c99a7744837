package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.chunk.XorChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotBlockTest {

  private static final long HOUR = 3_600_000L;

  private static XorChunk chunk(long from, int n, double start) {
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = from + 15_000L * i;
      vs[i] = start + i * 0.25;
    }
    return XorChunk.encode(ts, vs);
  }

  /** Every part of a series image, each present and absent, and the extremes of its numbers. */
  private static List<GroupSnapshot.SeriesImage> images() {
    double staleNaN = Double.longBitsToDouble(0x7ff0000000000002L);
    return List.of(
        // Created, never holding a sample in range (all its samples were sealed and stored).
        new GroupSnapshot.SeriesImage(
            0,
            SeriesKey.of("default", "up", Map.of()),
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            null,
            0,
            0,
            List.of(),
            new long[0],
            new double[0],
            List.of()),
        // Everything at once, with negative times and a label value outside ASCII.
        new GroupSnapshot.SeriesImage(
            7,
            SeriesKey.of("default", "node_cpu_seconds_total", Map.of("cpu", "0", "mode", "idlé")),
            -5 * HOUR,
            3 * HOUR,
            -5 * HOUR,
            -HOUR,
            chunk(2 * HOUR, 40, 1.5),
            1,
            1_764_000_000_123L,
            List.of(new GroupState.Closed(0, chunk(0, 10, 7))),
            new long[] {-4 * HOUR, -4 * HOUR + 1, 100},
            new double[] {staleNaN, -0.0, Math.PI},
            List.of(
                new GroupState.Pending(3, chunk(-2 * HOUR, 5, 0)),
                new GroupState.Pending(Long.MAX_VALUE, chunk(-HOUR, 1, -1)))),
        // A smaller id after a larger one; the same strings again.
        new GroupSnapshot.SeriesImage(
            2,
            SeriesKey.of("default", "node_cpu_seconds_total", Map.of("cpu", "1", "mode", "idlé")),
            1000,
            1000,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            chunk(1000, 1, 42),
            0,
            0,
            List.of(),
            new long[0],
            new double[0],
            List.of()));
  }

  @Test
  void everyPartOfASeriesImageRoundTrips() {
    List<GroupSnapshot.SeriesImage> images = images();

    List<GroupSnapshot.SeriesImage> back = SnapshotBlock.decode(SnapshotBlock.encode(images));

    assertThat(back).hasSize(images.size());
    for (int i = 0; i < images.size(); i++) {
      var expected = images.get(i);
      var actual = back.get(i);
      assertThat(actual.id()).isEqualTo(expected.id());
      assertThat(actual.key()).isEqualTo(expected.key());
      assertThat(actual.minTs()).isEqualTo(expected.minTs());
      assertThat(actual.maxTs()).isEqualTo(expected.maxTs());
      assertThat(actual.storedMinTs()).isEqualTo(expected.storedMinTs());
      assertThat(actual.storedMaxTs()).isEqualTo(expected.storedMaxTs());
      assertThat(actual.open()).isEqualTo(expected.open());
      assertThat(actual.openWindow()).isEqualTo(expected.openWindow());
      assertThat(actual.openWrittenAt()).isEqualTo(expected.openWrittenAt());
      assertThat(actual.closed()).isEqualTo(expected.closed());
      assertThat(actual.pending()).isEqualTo(expected.pending());
      assertThat(actual.lateTimestamps()).isEqualTo(expected.lateTimestamps());
      assertThat(bits(actual.lateValues())).isEqualTo(bits(expected.lateValues()));
    }
  }

  private static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  /**
   * Node-exporter-like series with an hour of head: the block takes the heads' bytes and a few
   * bytes per series, where objects per series took hundreds more.
   */
  @Test
  void aBlockIsMuchSmallerThanAnObjectPerSeries() throws Exception {
    Random random = new Random(1);
    List<GroupSnapshot.SeriesImage> images = new ArrayList<>();
    long headBytes = 0;
    for (int i = 0; i < 2000; i++) {
      var key =
          SeriesKey.of(
              "default",
              "node_network_receive_bytes_total",
              Map.of(
                  "instance",
                  "host-" + (i / 50) + ":9100",
                  "job",
                  "node",
                  "device",
                  "eth" + i % 50));
      XorChunk open = chunk(0, 240, random.nextInt(1000)).compact();
      headBytes += open.sizeBytes();
      images.add(
          new GroupSnapshot.SeriesImage(
              i,
              key,
              0,
              HOUR,
              Long.MAX_VALUE,
              Long.MIN_VALUE,
              open,
              0,
              HOUR,
              List.of(),
              new long[0],
              new double[0],
              List.of()));
    }
    byte[] block = SnapshotBlock.encode(images);
    byte[] objects = new ObjectMapper(new CBORFactory()).writeValueAsBytes(images);

    assertThat(block.length - headBytes).isLessThan(2000 * 24L);
    assertThat(objects.length - headBytes).isGreaterThan(2000 * 200L);
  }

  @Test
  void malformedBlocksAreRefused() {
    byte[] block = SnapshotBlock.encode(images());

    assertThatThrownBy(() -> SnapshotBlock.decode(new byte[] {2, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown version 2");
    assertThatThrownBy(() -> SnapshotBlock.decode(Arrays.copyOf(block, block.length - 3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnapshotBlock.decode(Arrays.copyOf(block, block.length + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after its series");
    // One series whose tenant refers to string 5 of a table of none.
    assertThatThrownBy(() -> SnapshotBlock.decode(new byte[] {1, 0, 1, 0, 5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown string 5");
  }
}
