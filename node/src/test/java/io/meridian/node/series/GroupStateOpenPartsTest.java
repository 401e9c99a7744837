package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.chunk.SampleIterator;
import io.meridian.protocol.chunk.XorChunk;
import io.meridian.protocol.chunk.XorChunkEncoder;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The open chunk moves into compacted parts of its window every {@link
 * GroupState#OPEN_PART_SAMPLES} samples: reads, sealing, late samples, duplicates and snapshots see
 * the same samples as without parts, and the head takes less memory.
 */
class GroupStateOpenPartsTest {

  private static final long WINDOW = 7_200_000L;
  private static final long T0 = 1_764_000_000_000L / WINDOW * WINDOW;
  private static final SeriesKey KEY =
      SeriesKey.of("default", "node_cpu_seconds_total", Map.of("cpu", "0", "mode", "idle"));

  /** A counter of scraped decimals, as node-exporter's CPU seconds. */
  private static double value(int i) {
    return Math.round((1000 + i * 15.02 + (i % 7) * 0.01) * 100) / 100.0;
  }

  @Test
  void aWindowInPartsReadsAndSealsAsOneChunk() {
    GroupState state = new GroupState();
    GroupState.Series s = state.create(0, KEY);
    int n = 479;
    appendInOrder(s, n);
    assertThat(s.closed).hasSize((n - 1) / GroupState.OPEN_PART_SAMPLES);
    assertThat(s.closed).allMatch(c -> c.window() == s.openWindow);
    assertThat(s.open.count()).isEqualTo(n - 3 * GroupState.OPEN_PART_SAMPLES);
    assertThat(GroupState.openWindowCount(s)).isEqualTo(n);
    assertThat(GroupState.onlyOpenWindow(s)).isTrue();
    assertSamples(GroupState.read(s, Long.MIN_VALUE, Long.MAX_VALUE), n, -1, 0);
    assertSamples(GroupState.read(s, T0 + 15_000L * 100, T0 + 15_000L * 300), 201, -1, 100);

    state.seal(s, s.openWindow, WINDOW);
    assertThat(s.open).isNull();
    assertThat(s.closed).isNull();
    assertThat(s.pending).hasSize(1);
    // The compacted parts are joined as they are, the open chunk compacted as the last part.
    assertThat(s.pending.get(0).chunk().format()).isEqualTo(XorChunk.FORMAT_PARTS);
    SampleIterator sealed = s.pending.get(0).chunk().iterator();
    for (int i = 0; i < n; i++) {
      assertThat(sealed.next()).isTrue();
      assertThat(sealed.timestamp()).isEqualTo(T0 + 15_000L * i);
      assertThat(sealed.value()).isEqualTo(value(i));
    }
    assertThat(sealed.next()).isFalse();
  }

  @Test
  void partsBeyondTheKeptOnesAreSealedOldestFirstAsTheyAre() {
    GroupState state = new GroupState();
    GroupState.Series s = state.create(0, KEY);
    int n = 479;
    appendInOrder(s, n);
    XorChunk oldest = s.closed.get(0).chunk();
    XorChunk middle = s.closed.get(1).chunk();
    XorChunk newest = s.closed.get(2).chunk();
    state.sealParts(s, 3);
    assertThat(s.pending).isNull();

    state.sealParts(s, 1);
    assertThat(s.closed).extracting(GroupState.Closed::chunk).containsExactly(newest);
    assertThat(s.pending)
        .containsExactly(new GroupState.Pending(0, oldest), new GroupState.Pending(1, middle));
    assertThat(state.pendingOwners()).containsOnlyKeys(0L, 1L);
    assertSamples(GroupState.read(s, Long.MIN_VALUE, Long.MAX_VALUE), n, -1, 0);

    // A late rewrite of a sample in a sealed part wins in the head, and in the window's chunk.
    GroupState.append(s, T0 + 15_000L * 7, -1.0, WINDOW, 0);
    assertSamples(GroupState.read(s, Long.MIN_VALUE, Long.MAX_VALUE), n, 7, 0);
    state.stored(new long[] {0, 1});
    assertThat(s.pending).isNull();
    assertThat(s.storedMinTs).isEqualTo(T0);
    assertThat(s.storedMaxTs).isEqualTo(T0 + 15_000L * (2 * GroupState.OPEN_PART_SAMPLES - 1));
    state.seal(s, s.openWindow, WINDOW);
    assertThat(s.hasHead()).isTrue();
    XorChunk sealed = s.pending.get(0).chunk();
    assertThat(s.pending.get(0).seq()).isEqualTo(2);
    assertThat(sealed.minTimestamp()).isEqualTo(T0 + 15_000L * 7);
    assertThat(sealed.count()).isEqualTo(n - 2 * GroupState.OPEN_PART_SAMPLES + 1);

    state.sealParts(s, 0);
    assertThat(s.closed).isNull();
  }

  /** A look may seal a window's parts and then the window, which then holds nothing more. */
  @Test
  void aWindowWhosePartsWereAllSealedSealsToNothingMore() {
    GroupState state = new GroupState();
    GroupState.Series s = state.create(0, KEY);
    for (int i = 0; i < 10; i++) {
      GroupState.append(s, T0 + 15_000L * i, value(i), WINDOW, 0);
    }
    GroupState.append(s, T0 + WINDOW, 1.0, WINDOW, 0); // closes window 0 into a part
    state.sealParts(s, 0);
    state.seal(s, Math.floorDiv(T0, WINDOW), WINDOW);
    assertThat(s.pending).hasSize(1);
    assertThat(s.pending.get(0).chunk().count()).isEqualTo(10);
    assertThat(s.open.count()).isEqualTo(1);
    assertThat(state.pendingOwners()).containsOnlyKeys(0L);
  }

  @Test
  void lateSamplesAndRepeatsAcrossAPartBoundaryKeepTheirRules() {
    GroupState state = new GroupState();
    GroupState.Series s = state.create(0, KEY);
    int n = GroupState.OPEN_PART_SAMPLES + 1;
    appendInOrder(s, n);
    assertThat(s.closed).hasSize(1);
    assertThat(s.open.count()).isEqualTo(1);
    // A repeat of the newest sample is dropped; one of a sample in the part rewrites it, late.
    GroupState.append(s, T0 + 15_000L * (n - 1), value(n - 1), WINDOW, 0);
    assertThat(s.late).isNull();
    GroupState.append(s, T0 + 15_000L * 5, -1.0, WINDOW, 0);
    assertThat(s.late).containsOnlyKeys(T0 + 15_000L * 5);
    assertThat(GroupState.onlyOpenWindow(s)).isFalse();
    assertSamples(GroupState.read(s, Long.MIN_VALUE, Long.MAX_VALUE), n, 5, 0);
    // A sample of the next window closes the open window, parts and all, as one window.
    GroupState.append(s, T0 + WINDOW, 1.0, WINDOW, 0);
    state.seal(s, Math.floorDiv(T0, WINDOW), WINDOW);
    assertThat(s.closed).isNull();
    assertThat(s.late).isNull();
    assertThat(s.pending).hasSize(1);
    assertThat(s.pending.get(0).chunk().count()).isEqualTo(n);
    // With a late sample the window is merged and compacted anew, the late value winning.
    assertThat(s.pending.get(0).chunk().format()).isEqualTo(XorChunk.FORMAT_DECIMAL);
    assertThat(s.pending.get(0).chunk().values()[5]).isEqualTo(-1.0);
  }

  @Test
  void aSnapshotKeepsThePartsAndAppendsGoOnAsBefore() {
    GroupState state = new GroupState();
    GroupState.Series s = state.create(3, KEY);
    Random random = new Random(11);
    int n = 300;
    appendInOrder(s, n);
    byte[] block = SnapshotBlock.encode(state.toSnapshot().series());
    GroupState restored =
        GroupState.fromSnapshot(
            new GroupSnapshot(
                state.nextSeriesId(), state.nextChunkSeq(), SnapshotBlock.decode(block)));
    GroupState.Series r = restored.byId(3);
    assertThat(r.closed).hasSameSizeAs(s.closed);
    for (int i = n; i < 460; i++) {
      double v = random.nextBoolean() ? value(i) : random.nextDouble();
      GroupState.append(s, T0 + 15_000L * i, v, WINDOW, 0);
      GroupState.append(r, T0 + 15_000L * i, v, WINDOW, 0);
    }
    assertThat(GroupState.read(r, Long.MIN_VALUE, Long.MAX_VALUE))
        .isEqualTo(GroupState.read(s, Long.MIN_VALUE, Long.MAX_VALUE));
    assertThat(r.closed).hasSameSizeAs(s.closed);
  }

  @Test
  void partsTakeLessMemoryThanOneOpenChunk() {
    GroupState state = new GroupState();
    GroupState.Series s = state.create(0, KEY);
    XorChunkEncoder whole = new XorChunkEncoder();
    for (int i = 0; i < 479; i++) {
      GroupState.append(s, T0 + 15_000L * i, value(i), WINDOW, 0);
      whole.append(T0 + 15_000L * i, value(i));
    }
    assertThat(s.bytes(0, 0, 0)).isLessThan(whole.memoryBytes() / 2);
  }

  /** Appends samples 0 to n - 1 of {@link #value}, 15 s apart from {@link #T0}. */
  private static void appendInOrder(GroupState.Series s, int n) {
    for (int i = 0; i < n; i++) {
      GroupState.append(s, T0 + 15_000L * i, value(i), WINDOW, 0);
    }
  }

  /** {@code n} samples of {@link #value}, from index {@code first}, but {@code rewritten} = -1. */
  private static void assertSamples(SeriesSamples samples, int n, int rewritten, int first) {
    assertThat(samples.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      int index = first + i;
      assertThat(samples.timestamps()[i]).isEqualTo(T0 + 15_000L * index);
      assertThat(samples.values()[i]).isEqualTo(index == rewritten ? -1.0 : value(index));
    }
  }
}
