package io.meridian.ops.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Where the cluster tests leave their figures (recovery time, 503 latencies, memory): appended to
 * {@code target/cluster-figures.txt} and printed, for docs/benchmarks.md. Tests never assert on
 * them.
 */
public final class ClusterFigures {

  private ClusterFigures() {}

  public static void record(String scenario, String figures) throws IOException {
    Files.writeString(
        Path.of("target", "cluster-figures.txt"),
        Instant.now() + " " + scenario + ": " + figures + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    System.out.println("cluster figures: " + scenario + ": " + figures);
  }
}
