package io.meridian.protocol.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The encoder appends, resumes after a chunk, reads in place and refuses out-of-order samples. */
class XorChunkEncoderTest {

  @Test
  void resumingAfterAChunkIsByteIdenticalToAppendingEverything() {
    Random random = new Random(5);
    for (int round = 0; round < 50; round++) {
      int n = 1 + random.nextInt(300);
      long[] timestamps =
          round % 3 == 0
              ? Series.hugeGapTimestamps(random, n)
              : Series.irregularTimestamps(random, random.nextLong() >> 16, n);
      n = timestamps.length;
      double[] values = Series.mixedValues(random, n);
      XorChunkEncoder whole = new XorChunkEncoder();
      for (int i = 0; i < n; i++) {
        whole.append(timestamps[i], values[i]);
      }
      // Resume at every cut of a few, also resuming a resumed encoder again.
      for (int cut = 0; cut <= n; cut += 1 + random.nextInt(40)) {
        XorChunkEncoder resumed =
            XorChunkEncoder.of(
                XorChunk.encode(Arrays.copyOf(timestamps, cut), Arrays.copyOf(values, cut)));
        int middle = cut + (n - cut) / 2;
        for (int i = cut; i < middle; i++) {
          resumed.append(timestamps[i], values[i]);
        }
        resumed = XorChunkEncoder.of(resumed.toChunk());
        for (int i = middle; i < n; i++) {
          resumed.append(timestamps[i], values[i]);
        }
        assertThat(resumed.toChunk()).as("round %d cut %d", round, cut).isEqualTo(whole.toChunk());
        assertThat(resumed.count()).isEqualTo(n);
        assertThat(resumed.lastTimestamp()).isEqualTo(timestamps[n - 1]);
      }
    }
  }

  @Test
  void anyStartingCapacityGivesTheSameChunk() {
    Random random = new Random(11);
    long[] timestamps = Series.scrapeTimestamps(random, 300);
    double[] values = Series.mixedValues(random, timestamps.length);
    XorChunk expected = XorChunk.encode(timestamps, values);
    for (int capacity : new int[] {-3, 0, 1, 7, 300, 5000}) {
      XorChunkEncoder encoder = new XorChunkEncoder(capacity);
      for (int i = 0; i < timestamps.length; i++) {
        encoder.append(timestamps[i], values[i]);
      }
      assertThat(encoder.toChunk()).as("capacity %d", capacity).isEqualTo(expected);
      // The stream is the chunk without its header (format byte, count, first, span).
      int header =
          1
              + Varints.unsignedLength(timestamps.length)
              + Varints.unsignedLength(Varints.zigZag(timestamps[0]))
              + Varints.unsignedLength(timestamps[timestamps.length - 1] - timestamps[0]);
      assertThat(encoder.streamBytes()).isEqualTo(expected.data().length - header);
    }
    assertThat(new XorChunkEncoder(64).streamBytes()).isZero();
  }

  @Test
  void resumedEncoderKnowsTheLastSample() {
    XorChunkEncoder resumed =
        XorChunkEncoder.of(XorChunk.encode(new long[] {-5, 10, 20}, new double[] {1, 2, -0.0}));
    assertThat(resumed.count()).isEqualTo(3);
    assertThat(resumed.firstTimestamp()).isEqualTo(-5);
    assertThat(resumed.lastTimestamp()).isEqualTo(20);
    assertThat(Double.doubleToRawLongBits(resumed.lastValue()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThatThrownBy(() -> resumed.append(20, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(XorChunkEncoder.of(XorChunk.EMPTY).count()).isZero();
  }

  @Test
  void resumingIgnoresGarbageInTheLastBytesPadding() {
    XorChunk chunk = XorChunk.encode(new long[] {1, 2, 3}, new double[] {1, 1, 1});
    byte[] padded = chunk.data().clone();
    // Three samples end mid-byte (64 + 8 + 1 + 1 + 1 bits): set the padding bits of the last byte.
    padded[padded.length - 1] |= 0x0F;
    XorChunkEncoder fromPadded = XorChunkEncoder.of(new XorChunk(padded));
    fromPadded.append(4, 2);
    XorChunkEncoder clean = XorChunkEncoder.of(chunk);
    clean.append(4, 2);
    assertThat(fromPadded.toChunk()).isEqualTo(clean.toChunk());
  }

  @Test
  void iteratorReadsInPlaceMidStreamAndAppendingContinues() {
    Random random = new Random(9);
    long[] timestamps = Series.scrapeTimestamps(random, 500);
    double[] values = Series.mixedValues(random, 500);
    XorChunkEncoder encoder = new XorChunkEncoder();
    for (int i = 0; i < timestamps.length; i++) {
      encoder.append(timestamps[i], values[i]);
      if (i % 37 == 0 || i < 5) {
        Series.assertSamples(
            encoder.iterator(), Arrays.copyOf(timestamps, i + 1), Arrays.copyOf(values, i + 1));
      }
    }
    SampleIterator before = encoder.iterator();
    encoder.append(timestamps[499] + 1, 42);
    // An iterator taken before an append still reads the samples it was created for.
    Series.assertSamples(before, timestamps, values);
    assertThat(encoder.toChunk().count()).isEqualTo(501);
  }

  @Test
  void toChunkLeavesTheEncoderUsable() {
    XorChunkEncoder encoder = new XorChunkEncoder();
    encoder.append(1000, 1);
    XorChunk first = encoder.toChunk();
    encoder.append(2000, 2);
    encoder.append(3000, 3);
    XorChunk second = encoder.toChunk();
    assertThat(first.count()).isEqualTo(1);
    assertThat(second.count()).isEqualTo(3);
    assertThat(second.values()).containsExactly(1, 2, 3);
    assertThat(second)
        .isEqualTo(XorChunk.encode(new long[] {1000, 2000, 3000}, new double[] {1, 2, 3}));
  }

  @Test
  void refusesTimestampsThatDoNotAscend() {
    XorChunkEncoder encoder = new XorChunkEncoder();
    encoder.append(100, 1);
    encoder.append(200, 2);
    assertThatThrownBy(() -> encoder.append(200, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("200");
    assertThatThrownBy(() -> encoder.append(150, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.append(Long.MIN_VALUE, 3))
        .isInstanceOf(IllegalArgumentException.class);
    // A refused sample leaves nothing behind.
    encoder.append(300, 3);
    assertThat(encoder.toChunk())
        .isEqualTo(XorChunk.encode(new long[] {100, 200, 300}, new double[] {1, 2, 3}));

    assertThatThrownBy(() -> XorChunk.encode(new long[] {1, 3, 2}, new double[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XorChunk.encode(new long[] {1, 1}, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XorChunk.encode(new long[] {1, 2}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyEncoder() {
    XorChunkEncoder encoder = new XorChunkEncoder();
    assertThat(encoder.count()).isZero();
    assertThat(encoder.firstTimestamp()).isEqualTo(Long.MAX_VALUE);
    assertThat(encoder.lastTimestamp()).isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(encoder::lastValue).isInstanceOf(IllegalStateException.class);
    assertThat(encoder.iterator().next()).isFalse();
    // Any timestamp can come first, the smallest long included.
    encoder.append(Long.MIN_VALUE, 7);
    assertThat(encoder.firstTimestamp()).isEqualTo(Long.MIN_VALUE);
    assertThat(encoder.lastValue()).isEqualTo(7);
  }

  @Test
  void bufferGrowsByHalfAndChunksAreTrimmed() {
    XorChunkEncoder encoder = new XorChunkEncoder();
    long initial = encoder.memoryBytes();
    assertThat(initial).isPositive();
    Random random = new Random(3);
    long previous = initial;
    int grows = 0;
    for (int i = 0; i < 2000; i++) {
      encoder.append(i * 15_000L, random.nextDouble());
      long now = encoder.memoryBytes();
      if (now != previous) {
        grows++;
        // Buffer capacity grows by about half, never doubling.
        assertThat(now - 64 - 16).isLessThanOrEqualTo((previous - 64 - 16) * 3 / 2 + 8);
        previous = now;
      }
    }
    assertThat(grows).isGreaterThan(5);
    // The buffer holds the stream and at most half again; the chunk holds just the stream.
    long chunkBytes = encoder.toChunk().sizeBytes();
    assertThat(encoder.memoryBytes()).isLessThan(64 + 16 + chunkBytes * 3 / 2 + 16);
  }
}
