package io.meridian.ops.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long operation on stderr: {@code 15,000 / 40,000 points (37%), 12,345 points/s}. On
 * a terminal the line is redrawn in place; otherwise (e.g. {@code --progress} into a log) each
 * update is a line of its own.
 */
final class Progress {

  private final PrintWriter err;
  private final boolean terminal;
  private final long total;
  private final long startedNanos = System.nanoTime();

  Progress(PrintWriter err, boolean terminal, long total) {
    this.err = err;
    this.terminal = terminal;
    this.total = total;
  }

  void update(long done) {
    String line =
        String.format(
            Locale.ROOT,
            "%,d / %,d points (%d%%), %,.0f points/s",
            done,
            total,
            total == 0 ? 100 : done * 100 / total,
            rate(done));
    if (terminal) {
      err.print("\r" + line);
    } else {
      err.println(line);
    }
    err.flush();
  }

  void finish() {
    if (terminal) {
      err.println();
      err.flush();
    }
  }

  double rate(long done) {
    double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
    return done / seconds;
  }

  double seconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
