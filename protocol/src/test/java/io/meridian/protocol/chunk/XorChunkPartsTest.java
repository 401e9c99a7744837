package io.meridian.protocol.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link XorChunk#concat} and the {@link XorChunk#FORMAT_PARTS} format: compacted chunks of
 * consecutive time ranges joined as they are read back as one chunk, bit-exact; anything that is
 * not such a join is refused.
 */
class XorChunkPartsTest {

  /**
   * Splits samples into chunks of {@code size}, each compacted (decimal or XOR, whichever wins).
   */
  private static List<XorChunk> parts(long[] timestamps, double[] values, int size) {
    List<XorChunk> parts = new ArrayList<>();
    for (int from = 0; from < timestamps.length; from += size) {
      int to = Math.min(timestamps.length, from + size);
      parts.add(
          XorChunk.encodeCompact(
              Arrays.copyOfRange(timestamps, from, to), Arrays.copyOfRange(values, from, to)));
    }
    return parts;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void partsReadBackAsOneChunkBitExact(long seed) {
    Random random = new Random(seed);
    for (int n : new int[] {2, 121, 480, 1000}) {
      long[] timestamps = Series.scrapeTimestamps(random, n);
      double[] values = new double[n];
      long hundredths = random.nextInt(1 << 30);
      for (int i = 0; i < n; i++) {
        // Mostly scraped decimals (decimal parts), some parts with NaN or random doubles (XOR).
        values[i] =
            i % 200 == 7
                ? Double.NaN
                : i >= 360 && i < 480
                    ? random.nextDouble()
                    : DecimalChunks.toDouble(hundredths, -2);
        hundredths += random.nextInt(1500);
      }
      List<XorChunk> parts = parts(timestamps, values, 120);
      XorChunk joined = XorChunk.concat(parts);
      if (parts.size() == 1) {
        assertThat(joined).isSameAs(parts.get(0));
      } else {
        assertThat(joined.format()).isEqualTo(XorChunk.FORMAT_PARTS);
      }
      assertThat(joined.count()).isEqualTo(n);
      assertThat(joined.minTimestamp()).isEqualTo(timestamps[0]);
      assertThat(joined.maxTimestamp()).isEqualTo(timestamps[n - 1]);
      assertThat(joined.timestamps()).containsExactly(timestamps);
      assertThat(Series.bits(joined.values())).containsExactly(Series.bits(values));
      Series.assertSamples(joined.iterator(), timestamps, values);
      // Already compact; an encoder continues it as the whole chunk's samples.
      assertThat(joined.compact()).isSameAs(joined);
      assertThat(XorChunkEncoder.of(joined).toChunk())
          .isEqualTo(XorChunk.encode(timestamps, values));
      // A few bytes per part over the parts themselves.
      int partBytes = parts.stream().mapToInt(XorChunk::sizeBytes).sum();
      assertThat(joined.sizeBytes()).isLessThanOrEqualTo(partBytes + 16 + 3 * parts.size());
      assertThat(new XorChunk(joined.data().clone())).isEqualTo(joined);
    }
  }

  @Test
  void emptyPartsAreLeftOutAndOnePartIsItself() throws Exception {
    XorChunk one = XorChunk.encode(new long[] {1000, 2000}, new double[] {1, 2}).compact();
    assertThat(XorChunk.concat(List.of())).isEqualTo(XorChunk.EMPTY);
    assertThat(XorChunk.concat(List.of(XorChunk.EMPTY, XorChunk.EMPTY))).isEqualTo(XorChunk.EMPTY);
    assertThat(XorChunk.concat(List.of(XorChunk.EMPTY, one, XorChunk.EMPTY))).isSameAs(one);
    XorChunk two = XorChunk.encode(new long[] {3000}, new double[] {Double.NaN});
    XorChunk joined = XorChunk.concat(List.of(one, XorChunk.EMPTY, two));
    assertThat(joined.toString()).startsWith("XorChunk[parts, 3 samples, 1000..3000");
    CBORMapper mapper = new CBORMapper();
    assertThat(mapper.readValue(mapper.writeValueAsBytes(joined), XorChunk.class))
        .isEqualTo(joined);
  }

  @Test
  void overlappingOrNestedPartsAreRefused() {
    XorChunk a = XorChunk.encode(new long[] {1000, 2000}, new double[] {1, 2});
    XorChunk b = XorChunk.encode(new long[] {2000, 3000}, new double[] {2, 3});
    XorChunk c = XorChunk.encode(new long[] {4000}, new double[] {4});
    assertThatThrownBy(() -> XorChunk.concat(List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlap or are out of order");
    assertThatThrownBy(() -> XorChunk.concat(List.of(c, a)))
        .isInstanceOf(IllegalArgumentException.class);
    XorChunk joined = XorChunk.concat(List.of(a, c));
    assertThatThrownBy(
            () ->
                XorChunk.concat(
                    List.of(joined, XorChunk.encode(new long[] {5000}, new double[] {5}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("made of parts");
  }

  @Test
  void corruptChunksOfPartsAreRefused() {
    XorChunk a = XorChunk.encode(new long[] {1000, 2000}, new double[] {1, 2});
    XorChunk c = XorChunk.encode(new long[] {4000}, new double[] {4});
    byte[] good = XorChunk.concat(List.of(a, c)).data();
    // Truncated anywhere: refused when built, never garbage on reading.
    for (int length = 1; length < good.length; length++) {
      byte[] cut = Arrays.copyOf(good, length);
      assertThatThrownBy(() -> new XorChunk(cut)).isInstanceOf(IllegalArgumentException.class);
    }
    // A byte after the parts, or a header count that is not the parts' sum.
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> new XorChunk(longer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inconsistent");
    byte[] miscounted = good.clone();
    miscounted[1] = 4;
    assertThatThrownBy(() -> new XorChunk(miscounted)).isInstanceOf(IllegalArgumentException.class);
    // A header whose span does not end at the last part's last timestamp.
    byte[] misspanned = good.clone();
    misspanned[Varints.skip(good, Varints.skip(good, 1))] ^= 1;
    assertThatThrownBy(() -> new XorChunk(misspanned))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inconsistent with its header");
    // Every flipped bit fails cleanly or decodes something.
    for (int bit = 8; bit < good.length * 8; bit++) {
      byte[] flipped = good.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      try {
        XorChunk chunk = new XorChunk(flipped);
        SampleIterator samples = chunk.iterator();
        while (samples.next()) {
          samples.value();
        }
      } catch (IllegalArgumentException | IllegalStateException expected) {
        // a clean refusal
      }
    }
  }
}
