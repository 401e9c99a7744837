package io.meridian.ops.bench;

import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which scrapes of which series an ingest benchmark sent, and whether the server acknowledged them:
 * what {@code --verify} expects to read back. Each write phase is registered with its chunks (the
 * series groups its requests carry) and its first round, and records through the {@link
 * WritePhase.Acknowledgements} it gets back; a series is in at most one chunk of a phase.
 *
 * <p>It keeps one bit per chunk and round, not per sample: a few hundred bytes per chunk for a
 * ten-minute run of 100,000 series.
 */
final class SentScrapes {

  /** What became of one scrape of one series. */
  enum Status {
    /** Never sent: the run ended before it, or the series is in no phase of that round. */
    NOT_SENT,
    /** Sent, but the server answered with an error or not at all. */
    FAILED,
    /** Sent and acknowledged (2xx): the server must keep it. */
    ACKNOWLEDGED
  }

  private final int series;
  private Phase[] phases = new Phase[0];

  /**
   * @param series how many series the generator has: indexes are below it
   */
  SentScrapes(int series) {
    this.series = series;
  }

  /**
   * Registers a phase that sends {@code chunks} from {@code firstRound} on, before any later
   * phase's rounds, and returns the listener that records its answers. Not thread-safe: register
   * phases before they run.
   */
  WritePhase.Acknowledgements phase(List<int[]> chunks, long firstRound) {
    Phase phase = new Phase(firstRound, chunks);
    phases = Arrays.copyOf(phases, phases.length + 1);
    phases[phases.length - 1] = phase;
    return phase;
  }

  /**
   * The first round at which the generator advanced a series: the first round of the first phase
   * that holds it, or -1 when no phase does. Its values replay from there, round after round.
   */
  long firstRound(int index) {
    long first = -1;
    for (Phase phase : phases) {
      if (phase.chunkOf[index] >= 0 && (first < 0 || phase.firstRound < first)) {
        first = phase.firstRound;
      }
    }
    return first;
  }

  /** The last round of a series that was sent (answered either way), or -1. */
  long lastSentRound(int index) {
    long last = -1;
    for (Phase phase : phases) {
      int chunk = phase.chunkOf[index];
      if (chunk >= 0) {
        last = Math.max(last, phase.chunks[chunk].lastSent(phase.firstRound));
      }
    }
    return last;
  }

  /** What became of scrape {@code round} of a series. */
  Status status(int index, long round) {
    Status status = Status.NOT_SENT;
    for (Phase phase : phases) {
      int chunk = phase.chunkOf[index];
      if (chunk >= 0 && round >= phase.firstRound) {
        Status inPhase = phase.chunks[chunk].status(round - phase.firstRound);
        if (inPhase.compareTo(status) > 0) {
          status = inPhase;
        }
      }
    }
    return status;
  }

  /** Samples acknowledged in all phases. */
  long acknowledgedSamples() {
    long samples = 0;
    for (Phase phase : phases) {
      for (Chunk chunk : phase.chunks) {
        samples += chunk.acknowledgedSamples();
      }
    }
    return samples;
  }

  /** One phase's chunks, and which chunk holds each series. */
  private final class Phase implements WritePhase.Acknowledgements {
    final long firstRound;
    final Chunk[] chunks;
    final int[] chunkOf;
    final Map<int[], Chunk> byArray = new IdentityHashMap<>();

    Phase(long firstRound, List<int[]> series) {
      this.firstRound = firstRound;
      this.chunks = new Chunk[series.size()];
      this.chunkOf = new int[SentScrapes.this.series];
      Arrays.fill(chunkOf, -1);
      for (int c = 0; c < chunks.length; c++) {
        int[] indexes = series.get(c);
        chunks[c] = new Chunk(indexes.length);
        byArray.put(indexes, chunks[c]);
        for (int index : indexes) {
          if (chunkOf[index] >= 0) {
            throw new IllegalArgumentException("series " + index + " is in two chunks of a phase");
          }
          chunkOf[index] = c;
        }
      }
    }

    @Override
    public void acknowledged(int[] series, long round, int rounds) {
      chunk(series).mark(true, round - firstRound, rounds);
    }

    @Override
    public void failed(int[] series, long round, int rounds) {
      chunk(series).mark(false, round - firstRound, rounds);
    }

    private Chunk chunk(int[] series) {
      Chunk chunk = byArray.get(series);
      if (chunk == null) {
        throw new IllegalArgumentException("not a chunk of this phase");
      }
      return chunk;
    }
  }

  /**
   * The rounds of one chunk, relative to its phase's first round. Its requests come from one sender
   * thread, but it is read by others after the phase: guarded by itself.
   */
  private static final class Chunk {
    final int size;
    final BitSet acknowledged = new BitSet();
    final BitSet failed = new BitSet();

    Chunk(int size) {
      this.size = size;
    }

    synchronized void mark(boolean ok, long from, int rounds) {
      int start = Math.toIntExact(from);
      (ok ? acknowledged : failed).set(start, start + rounds);
    }

    synchronized Status status(long offset) {
      if (offset > Integer.MAX_VALUE) {
        return Status.NOT_SENT;
      }
      int bit = (int) offset;
      return acknowledged.get(bit)
          ? Status.ACKNOWLEDGED
          : failed.get(bit) ? Status.FAILED : Status.NOT_SENT;
    }

    synchronized long lastSent(long firstRound) {
      int last = Math.max(acknowledged.length(), failed.length()) - 1;
      return last < 0 ? -1 : firstRound + last;
    }

    synchronized long acknowledgedSamples() {
      return (long) acknowledged.cardinality() * size;
    }
  }
}
