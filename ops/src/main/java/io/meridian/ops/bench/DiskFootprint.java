package io.meridian.ops.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a benchmark's samples take on disk in Cassandra: once the node has sealed and stored every
 * chunk window that is due ({@link NodeStats#awaitNoPendingChunks}), flushes Meridian's keyspaces
 * (journal with the chunk table, and snapshots) and reads their tables' live SSTable bytes, over
 * JMX through the Attach API ({@link LocalJvm}). Reports them per table, per acknowledged sample
 * ({@code disk_bytes_per_sample}) and, for the chunk table, per sample in sealed chunks ({@code
 * chunk_bytes_per_sample}, the figure of the chunk format itself).
 */
final class DiskFootprint {

  /**
   * How to measure.
   *
   * @param keyspaces Meridian's keyspaces, the one holding {@code chunkTable} first
   * @param sealInterval how often the node's groups look for chunks to seal
   * @param waitAhead a window falling due within this long is waited for (the last window of a run
   *     falls due {@code seal-idle} after it ends), one due later is left out of the figures
   * @param timeout longest wait for the node to store its due chunks
   */
  record Settings(
      List<String> keyspaces,
      String chunkTable,
      Duration sealInterval,
      Duration waitAhead,
      Duration timeout) {}

  private final Settings settings;
  private final PrintWriter out;

  DiskFootprint(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Measures and prints; says why and prints no figures when Cassandra cannot be reached.
   *
   * @param stats the node's stats, null when there is no node to wait for (no chunk figure then)
   * @param windows the acknowledged samples by chunk window
   * @param acknowledgedSamples every sample the benchmark's writes got acknowledged
   */
  void measure(long cassandraPid, NodeStats stats, ChunkWindows windows, long acknowledgedSamples)
      throws InterruptedException {
    try (LocalJvm cassandra = LocalJvm.attach(cassandraPid)) {
      measure(new CassandraTables(cassandra), stats, windows, acknowledgedSamples);
    } catch (IOException e) {
      out.println("disk: no figures from Cassandra (pid " + cassandraPid + "): " + e.getMessage());
    }
    out.flush();
  }

  private void measure(
      CassandraTables tables, NodeStats node, ChunkWindows windows, long acknowledgedSamples)
      throws IOException, InterruptedException {
    NodeStats stats = node;
    long started = System.currentTimeMillis();
    long deadline = started + settings.timeout().toMillis();
    long sealInterval = settings.sealInterval().toMillis();
    long waitAhead = settings.waitAhead().toMillis();
    long sealed = -1;
    long cutoff = 0;
    Map<String, CassandraTables.Size> sizes;
    while (true) {
      OptionalLong firstIdle = OptionalLong.empty();
      if (stats != null) {
        try {
          firstIdle =
              stats.awaitNoPendingChunks(
                  settings.sealInterval(),
                  Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis())));
        } catch (IOException e) {
          out.println(
              "disk: cannot read the node's stats: " + e.getMessage() + ": no chunk figure");
          stats = null;
        }
        if (stats != null && firstIdle.isEmpty()) {
          out.printf(
              Locale.ROOT,
              "disk: %s still showed %s > 0 (or none) after %s: no chunk figure%n",
              stats.url(),
              NodeStats.PENDING_CHUNKS,
              SpanConverter.format(settings.timeout()));
        }
      }
      if (firstIdle.isEmpty()) {
        sizes = flushAndRead(tables);
        break;
      }
      // Every window due one look before the first idle poll was sealed by then, and stored.
      cutoff = firstIdle.getAsLong() - sealInterval;
      long next = windows.nextSealAfter(cutoff);
      if (next <= System.currentTimeMillis() + Math.max(sealInterval, waitAhead)
          && next + 4 * sealInterval <= deadline) {
        // A window falls due soon, with time left to see it sealed (the node's next look, two
        // idle polls, its write): wait until it is surely sealed, then for its write.
        Thread.sleep(Math.max(0, next + sealInterval - System.currentTimeMillis()));
        continue;
      }
      // Windows falling due later, or after the time limit, are left out of the figure.
      sizes = flushAndRead(tables);
      if (System.currentTimeMillis() < next) {
        // None of the windows counted as unsealed can have been sealed, let alone flushed.
        sealed = windows.sealedBy(cutoff);
        break;
      }
      // A window fell due while flushing: its chunks may or may not be in the sizes. Again, while
      // there is time.
      if (System.currentTimeMillis() + 2 * sealInterval > deadline) {
        out.println("disk: a chunk window fell due at the time limit: no chunk figure");
        break;
      }
    }

    long all = sizes.values().stream().mapToLong(CassandraTables.Size::liveBytes).sum();
    long total = sizes.values().stream().mapToLong(CassandraTables.Size::totalBytes).sum();
    String chunkKey = settings.keyspaces().get(0) + "." + settings.chunkTable();
    CassandraTables.Size chunks = sizes.get(chunkKey);
    out.printf(
        Locale.ROOT,
        "disk: flushed %s in Cassandra after %.1f s%s; %d tables, %d bytes live (%d with"
            + " SSTables compacted away but not yet deleted)%n",
        String.join(", ", settings.keyspaces()),
        (System.currentTimeMillis() - started) / 1000.0,
        sealed >= 0
            ? ", once the node had stored every chunk window due by " + Instant.ofEpochMilli(cutoff)
            : "",
        sizes.size(),
        all,
        total);
    if (chunks == null) {
      out.println("disk: no table " + chunkKey + " in Cassandra");
    }
    for (Map.Entry<String, CassandraTables.Size> table : sizes.entrySet()) {
      out.printf(
          Locale.ROOT, "table_bytes{table=%s}: %d%n", table.getKey(), table.getValue().liveBytes());
    }
    out.printf(Locale.ROOT, "disk_bytes: %d%n", all);
    out.printf(Locale.ROOT, "acknowledged_samples: %d%n", acknowledgedSamples);
    if (acknowledgedSamples > 0) {
      out.printf(Locale.ROOT, "disk_bytes_per_sample: %.3f%n", all / (double) acknowledgedSamples);
    }
    if (sealed >= 0 && chunks != null) {
      out.printf(Locale.ROOT, "chunk_samples: %d%n", sealed);
      if (sealed > 0) {
        out.printf(
            Locale.ROOT, "chunk_bytes_per_sample: %.3f%n", chunks.liveBytes() / (double) sealed);
      } else {
        out.println("disk: no acknowledged sample is in a sealed chunk window: no chunk figure");
      }
    }
  }

  /**
   * Flushes every keyspace, then reads the sizes of their tables ("keyspace.table"). A keyspace
   * without tables (no snapshot written yet, say) has nothing to flush.
   */
  private Map<String, CassandraTables.Size> flushAndRead(CassandraTables tables)
      throws IOException {
    for (String keyspace : settings.keyspaces()) {
      if (!tables.sizes(keyspace).isEmpty()) {
        tables.flush(keyspace);
      }
    }
    Map<String, CassandraTables.Size> sizes = new LinkedHashMap<>();
    for (String keyspace : settings.keyspaces()) {
      tables.sizes(keyspace).forEach((table, size) -> sizes.put(keyspace + "." + table, size));
    }
    return sizes;
  }
}
