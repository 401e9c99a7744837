package io.meridian.protocol.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Prints the compressed size of node-exporter-like series, in bytes per sample, for chunks of 120,
 * 480 and 1000 samples scraped every 15 s: as XOR chunks and after {@link XorChunk#compact()}
 * (decimal when smaller). A report, not a check: it asserts only the round trips. Timestamps carry
 * 0-50 ms of jitter, as scrapes stamped with their wall-clock start have; the timestamp columns
 * compare the XOR format's delta-of-delta buckets with Prometheus' (14/17/20/64 bits).
 *
 * <p>A second report does the same for one host of the ingest benchmark's series ({@code
 * NodeExporterSeries} in the ops module, whose value processes {@link BenchHost} copies).
 */
class XorChunkSizeReportTest {

  private static final int[] SIZES = {120, 480, 1000};

  @Test
  void bytesPerSampleOfNodeExporterLikeSeries() {
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "%-52s %6s %10s %11s %11s %10s%n",
            "series", "n", "bytes/smp", "ts bits/smp", "ts bits Prom", "compact"));
    for (boolean jitter : new boolean[] {true, false}) {
      String when = jitter ? "" : " (exact 15 s)";
      row(report, "counter: bytes, irregular increments" + when, jitter, 1, counterBytes());
      row(report, "counter: cpu seconds, 0.01 s resolution" + when, jitter, 2, cpuSeconds());
      row(report, "gauge: mostly constant" + when, jitter, 3, mostlyConstant());
      row(report, "gauge: memory bytes, slowly varying" + when, jitter, 4, memoryBytes());
      row(report, "gauge: load average, 2 decimals" + when, jitter, 5, loadAverage());
    }
    System.out.print(report);
  }

  @Test
  void bytesPerSampleOfTheBenchmarksSeries() {
    int n = 480;
    BenchHost host = new BenchHost(BenchHost.SERIES_PER_HOST, 15_000, 42);
    Map<String, long[]> byKind = new TreeMap<>();
    long samples = 0;
    long xorBytes = 0;
    long compactBytes = 0;
    long decimalChunks = 0;
    long joinedBytes = 0;
    for (int index = 0; index < host.size(); index++) {
      long[] timestamps = new long[n];
      double[] values = new double[n];
      for (int round = 0; round < n; round++) {
        timestamps[round] = host.timestamp(index, round);
        values[round] = host.next(index, timestamps[round]);
      }
      XorChunk chunk = XorChunk.encode(timestamps, values);
      XorChunk compact = Series.assertCompacts(chunk, timestamps, values);
      long[] sums = byKind.computeIfAbsent(host.kindName(index), k -> new long[4]);
      sums[0]++;
      sums[1] += chunk.sizeBytes();
      sums[2] += compact.sizeBytes();
      sums[3] += compact.format() == XorChunk.FORMAT_DECIMAL ? 1 : 0;
      samples += n;
      xorBytes += chunk.sizeBytes();
      compactBytes += compact.sizeBytes();
      decimalChunks += compact.format() == XorChunk.FORMAT_DECIMAL ? 1 : 0;
      // As sealing stores a window written in time order: its compacted 120-sample parts joined.
      List<XorChunk> parts = new ArrayList<>();
      for (int from = 0; from < n; from += 120) {
        parts.add(
            XorChunk.encodeCompact(
                Arrays.copyOfRange(timestamps, from, from + 120),
                Arrays.copyOfRange(values, from, from + 120)));
      }
      XorChunk joined = XorChunk.concat(parts);
      assertThat(joined.timestamps()).containsExactly(timestamps);
      joinedBytes += joined.sizeBytes();
    }
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "%-28s %7s %10s %10s %9s%n",
            "benchmark series", "series", "xor B/smp", "compact", "decimal"));
    byKind.forEach(
        (kind, sums) ->
            report.append(
                String.format(
                    "%-28s %7d %10.3f %10.3f %9d%n",
                    kind,
                    sums[0],
                    sums[1] / (double) (sums[0] * n),
                    sums[2] / (double) (sums[0] * n),
                    sums[3])));
    report.append(
        String.format(
            "%-28s %7d %10.3f %10.3f %9d%n",
            "all (one host, " + n + " scrapes)",
            host.size(),
            xorBytes / (double) samples,
            compactBytes / (double) samples,
            decimalChunks));
    report.append(
        String.format(
            "%-28s %7d %10s %10.3f%n",
            "joined from 120-sample parts", host.size(), "", joinedBytes / (double) samples));
    System.out.print(report);
  }

  private static void row(
      StringBuilder report,
      String name,
      boolean jitter,
      long seed,
      Function<Random, DoubleUnaryOperator> series) {
    for (int n : SIZES) {
      Random random = new Random(seed * 1000 + n);
      long[] timestamps = new long[n];
      double[] values = new double[n];
      DoubleUnaryOperator step = series.apply(random);
      double value = step.applyAsDouble(Double.NaN);
      for (int i = 0; i < n; i++) {
        timestamps[i] = 1_764_000_000_000L + 15_000L * i + (jitter ? random.nextInt(51) : 0);
        values[i] = value;
        value = step.applyAsDouble(value);
      }
      XorChunk chunk = Series.assertRoundTrip(timestamps, values);
      assertThat(chunk.count()).isEqualTo(n);
      XorChunk compact = Series.assertCompacts(chunk, timestamps, values);
      report.append(
          String.format(
              "%-52s %6d %10.3f %11.2f %11.2f %10.3f%n",
              name,
              n,
              chunk.sizeBytes() / (double) n,
              timestampBits(timestamps, XorChunkEncoder.DOD_BITS) / (double) n,
              timestampBits(timestamps, new int[] {14, 17, 20}) / (double) n,
              compact.sizeBytes() / (double) n));
    }
  }

  /** Bits the stream spends on timestamps with the given delta-of-delta bucket widths. */
  private static long timestampBits(long[] timestamps, int[] widths) {
    long bits = 0;
    for (int i = 1; i < timestamps.length; i++) {
      long delta = timestamps[i] - timestamps[i - 1];
      if (i == 1) {
        bits += 8L * Varints.unsignedLength(delta);
        continue;
      }
      long dod = delta - (timestamps[i - 1] - timestamps[i - 2]);
      if (dod == 0) {
        bits += 1;
        continue;
      }
      int cost = widths.length + 1 + 64;
      for (int b = 0; b < widths.length; b++) {
        long max = 1L << (widths[b] - 1);
        if (dod >= -(max - 1) && dod <= max) {
          cost = b + 2 + widths[b];
          break;
        }
      }
      bits += cost;
    }
    return bits;
  }

  /** Received bytes of a network interface: a few KiB/s, bursty. Each step gets the previous. */
  private static Function<Random, DoubleUnaryOperator> counterBytes() {
    return random ->
        previous ->
            Double.isNaN(previous)
                ? 3_214_567_890.0
                : previous + Math.floor(15 * 4096 * Math.exp(random.nextGaussian()));
  }

  /** Idle seconds of one CPU: about 14-15 s per 15 s, counted in hundredths. */
  private static Function<Random, DoubleUnaryOperator> cpuSeconds() {
    return random ->
        previous ->
            Double.isNaN(previous)
                ? 1_234_567.89
                : Math.round((previous + 14 + random.nextDouble()) * 100) / 100.0;
  }

  /** A gauge such as a filesystem's size or the count of CPUs: changes once in a while. */
  private static Function<Random, DoubleUnaryOperator> mostlyConstant() {
    return random ->
        previous ->
            Double.isNaN(previous) || random.nextInt(100) == 0 ? 1 + random.nextInt(64) : previous;
  }

  /** Available memory: about 8 GB, moving by a few hundred 4 KiB pages per scrape. */
  private static Function<Random, DoubleUnaryOperator> memoryBytes() {
    return random ->
        previous ->
            Double.isNaN(previous)
                ? 8_123_456_512.0
                : previous + 4096 * Math.round(random.nextGaussian() * 300);
  }

  /** The one-minute load average, a small float with two decimals. */
  private static Function<Random, DoubleUnaryOperator> loadAverage() {
    return random ->
        previous ->
            Double.isNaN(previous)
                ? 0.42
                : Math.max(0, Math.round((previous + random.nextGaussian() * 0.05) * 100) / 100.0);
  }
}
