package io.meridian.protocol.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A chunk crosses nodes and storage as CBOR, compares by content, and refuses foreign bytes. */
class XorChunkSerializationTest {

  private final CBORMapper mapper = new CBORMapper();

  @Test
  void roundTripsThroughCbor() throws Exception {
    Random random = new Random(1);
    long[] timestamps = Series.scrapeTimestamps(random, 240);
    XorChunk chunk = XorChunk.encode(timestamps, Series.mixedValues(random, 240));
    for (XorChunk original : new XorChunk[] {chunk, XorChunk.EMPTY}) {
      byte[] cbor = mapper.writeValueAsBytes(original);
      XorChunk read = mapper.readValue(cbor, XorChunk.class);
      assertThat(read).isEqualTo(original);
      assertThat(read.data()).isEqualTo(original.data());
      // A byte string plus the one-property map around it: no per-sample overhead.
      assertThat(cbor.length).isLessThan(original.sizeBytes() + 12);
    }
  }

  @Test
  void equalityIsByContent() {
    XorChunk a = XorChunk.encode(new long[] {1, 2}, new double[] {3, 4});
    XorChunk b = new XorChunk(a.data().clone());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(XorChunk.encode(new long[] {1, 2}, new double[] {3, 5}));
    assertThat(a.toString()).isEqualTo("XorChunk[2 samples, 1..2, " + a.sizeBytes() + " bytes]");
    assertThat(XorChunk.EMPTY.toString()).isEqualTo("XorChunk[empty]");
  }

  @Test
  void refusesBytesThatAreNotAChunk() {
    assertThatThrownBy(() -> new XorChunk(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new XorChunk(new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new XorChunk(new byte[] {4, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format byte 4");
    assertThatThrownBy(() -> new XorChunk(new byte[] {XorChunk.FORMAT_PARTS, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunk of parts without samples");
    // A count of one without the timestamps that must follow it.
    assertThatThrownBy(() -> new XorChunk(new byte[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new XorChunk(new byte[] {1, (byte) 0x80}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new XorChunk(null)).isInstanceOf(NullPointerException.class);
    // A count with all 64 bits set, read as a negative long.
    byte[] hugeCount = {1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 0, 0};
    assertThatThrownBy(() -> new XorChunk(hugeCount))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count out of range");
  }

  @Test
  void aTruncatedStreamFailsOnReadingNotWithGarbage() {
    Random random = new Random(2);
    XorChunk chunk =
        XorChunk.encode(Series.scrapeTimestamps(random, 50), Series.mixedValues(random, 50));
    byte[] truncated = Arrays.copyOf(chunk.data(), chunk.sizeBytes() - 20);
    XorChunk broken = new XorChunk(truncated);
    assertThat(broken.count()).isEqualTo(50);
    assertThatThrownBy(broken::timestamps)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt XOR chunk");
  }
}
