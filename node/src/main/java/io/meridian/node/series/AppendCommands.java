package io.meridian.node.series;

import io.meridian.protocol.SeriesSamples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits one group's part of a write into {@link SeriesGroup.Append} commands of bounded size: a
 * command travels to its group as one remoting message, possibly to another node, and is persisted
 * as one journal event, so a backfill of millions of points into one series must not become one
 * message. Sizes are estimates of the CBOR form (a timestamp and a value take up to 9 bytes each).
 */
final class AppendCommands {

  /** CBOR of one timestamp (long) and one value (double), at most. */
  static final int SAMPLE_BYTES = 18;

  private AppendCommands() {}

  /** One command's series and their estimated size, as {@link #splitSized} cut them. */
  record Command(List<SeriesSamples> series, long bytes) {}

  /**
   * {@code part} cut into commands of at most about {@code maxBytes} each, in order, with each
   * command's estimate, so that callers need not estimate the series' keys again.
   */
  static List<Command> splitSized(List<SeriesSamples> part, long maxBytes) {
    List<Command> commands = new ArrayList<>(1);
    // Most parts fit one command: sized for that, not grown series by series.
    List<SeriesSamples> current = new ArrayList<>(part.size());
    long currentBytes = 0;
    for (SeriesSamples series : part) {
      long keyBytes = keyBytes(series);
      int from = 0;
      while (from < series.size()) {
        long room = maxBytes - currentBytes - keyBytes;
        int fits = (int) Math.min(series.size() - from, Math.max(0, room / SAMPLE_BYTES));
        int remaining = series.size() - from;
        boolean fitsWhole = keyBytes + (long) remaining * SAMPLE_BYTES <= maxBytes;
        // Start a new command rather than cut a series that would fit into one whole.
        if (!current.isEmpty() && (fits == 0 || (fits < remaining && fitsWhole))) {
          commands.add(new Command(current, currentBytes));
          current = new ArrayList<>(Math.min(part.size(), 1024));
          currentBytes = 0;
          continue;
        }
        // An empty command takes at least one sample, however large its key.
        int take = Math.max(1, fits);
        current.add(slice(series, from, from + take));
        currentBytes += keyBytes + (long) take * SAMPLE_BYTES;
        from += take;
      }
      if (series.size() == 0) {
        current.add(series);
        currentBytes += keyBytes;
      }
    }
    if (!current.isEmpty()) {
      commands.add(new Command(current, currentBytes));
    }
    return commands;
  }

  private static SeriesSamples slice(SeriesSamples series, int from, int to) {
    if (from == 0 && to == series.size()) {
      return series;
    }
    return new SeriesSamples(
        series.key(),
        Arrays.copyOfRange(series.timestamps(), from, to),
        Arrays.copyOfRange(series.values(), from, to));
  }

  /** The estimated size of {@code series} in a command: its key's share plus its samples. */
  static long bytes(SeriesSamples series) {
    return keyBytes(series) + (long) series.size() * SAMPLE_BYTES;
  }

  /** The series key's share: its strings plus CBOR framing. */
  static long keyBytes(SeriesSamples series) {
    return 32L + series.key().chars() + 2L * series.key().tagCount();
  }
}
