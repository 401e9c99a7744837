package io.meridian.ops.bench;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The node's sealing settings a benchmark has to know (when a window's samples move into the chunk
 * table), shared by {@code bench ingest} and {@code bench restart}: the node's defaults unless
 * changed on both sides.
 */
final class SealingOptions {

  @Option(
      names = "--chunk-span",
      converter = SpanConverter.class,
      description = "The node's meridian.series.chunk-span (default: 2h).")
  Duration chunkSpan = Duration.ofHours(2);

  @Option(
      names = "--seal-delay",
      converter = SpanConverter.class,
      description = "The node's meridian.series.seal-delay (default: 10m).")
  Duration sealDelay = Duration.ofMinutes(10);

  @Option(
      names = "--seal-interval",
      converter = SpanConverter.class,
      description = "The node's meridian.series.seal-interval (default: 10s).")
  Duration sealInterval = Duration.ofSeconds(10);
}
