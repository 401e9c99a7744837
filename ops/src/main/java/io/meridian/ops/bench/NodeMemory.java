package io.meridian.ops.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The memory a node needs per active series: its resident memory and its live heap (the heap in use
 * after a full collection, read over JMX through the Attach API) before the load and at its end,
 * divided by the series. Resident memory depends on {@code -Xmx} (the heap grows towards it before
 * collecting), the live heap does not. When the node cannot be attached (not a JVM, another user's)
 * it says why and reports resident memory alone.
 */
final class NodeMemory implements AutoCloseable {

  private final PrintWriter out;
  private final long pid;
  private LocalJvm jvm;
  private long heapAtStart = -1;
  private long heapAtEnd = -1;

  /** Attaches to the node {@code pid} and reads its live heap: call before the load. */
  NodeMemory(PrintWriter out, long pid) {
    this.out = out;
    this.pid = pid;
    try {
      jvm = LocalJvm.attach(pid);
      heapAtStart = jvm.liveHeapBytes();
    } catch (IOException e) {
      out.println("node (pid " + pid + "): no live heap figures: " + e.getMessage());
      close();
    }
  }

  long pid() {
    return pid;
  }

  /** Reads the live heap again: call at the end of the load. */
  void atEnd() {
    if (jvm == null) {
      return;
    }
    try {
      heapAtEnd = jvm.liveHeapBytes();
    } catch (IOException e) {
      out.println("node (pid " + pid + "): no live heap at the end: " + e.getMessage());
    }
  }

  /** The human-readable line, with the node's resident memory before and after the load. */
  void describe(long rssAtStart, long rssAtEnd) {
    out.printf(
        Locale.ROOT,
        "node (pid %d): rss %d MiB before the load, %d MiB at its end%s%n",
        pid,
        rssAtStart >> 20,
        rssAtEnd >> 20,
        heapAtEnd >= 0
            ? String.format(
                Locale.ROOT,
                "; live heap (after a full GC) %d MiB before, %d MiB at the end",
                heapAtStart >> 20,
                heapAtEnd >> 20)
            : "");
  }

  /** The figures per active series. */
  void printPerSeries(long rssAtStart, long rssAtEnd, int series) {
    if (rssAtStart > 0 && rssAtEnd > 0) {
      out.printf(
          Locale.ROOT,
          "node_rss_per_series_bytes: %.0f%n",
          (rssAtEnd - rssAtStart) / (double) series);
    }
    if (heapAtEnd >= 0) {
      out.printf(
          Locale.ROOT,
          "node_live_heap_per_series_bytes: %.0f%n",
          (heapAtEnd - heapAtStart) / (double) series);
    }
  }

  @Override
  public void close() {
    if (jvm != null) {
      try {
        jvm.close();
      } catch (IOException e) {
        // The figures are read; a connection that does not close cleanly changes none of them.
      }
      jvm = null;
    }
  }
}
