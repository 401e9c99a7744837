package io.meridian.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Transparent huge pages for the JVMs Meridian starts (its node, the embedded Cassandra). A node
 * under remote write touches each of its series' key, head and index once per scrape, in no order,
 * all over a heap of hundreds of MiB: with 4 KiB pages nearly every such access also misses the
 * processor's address translation cache. With the heap in 2 MiB pages a ten-minute run took 3.81 µs
 * of the node's CPU per sample, runs without them 4.24–4.25 (docs/benchmarks.md, session 13). The
 * JVM asks for them with {@code madvise}, so this applies when the kernel offers them that way or
 * always ({@code /sys/kernel/mm/transparent_hugepage/enabled}); elsewhere the option is left out
 * (the JVM would warn that it cannot use it). {@code bin/meridian} and {@code bin/bench-ingest} do
 * the same in shell.
 */
public final class HugePages {

  /** Where Linux says whether it offers transparent huge pages. */
  static final Path ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  /** The JVM's option. */
  static final String OPTION = "-XX:+UseTransparentHugePages";

  private HugePages() {}

  /** {@link #OPTION} if this machine offers transparent huge pages, else nothing. */
  public static List<String> jvmOptions() {
    try {
      return offered(Files.readString(ENABLED)) ? List.of(OPTION) : List.of();
    } catch (IOException | SecurityException e) {
      return List.of(); // not Linux, or not readable: the JVM's default pages
    }
  }

  /** Whether the kernel's setting, e.g. {@code "always [madvise] never"}, lets the JVM use them. */
  static boolean offered(String enabled) {
    return enabled.contains("[always]") || enabled.contains("[madvise]");
  }
}
