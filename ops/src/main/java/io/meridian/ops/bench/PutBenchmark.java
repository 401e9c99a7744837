package io.meridian.ops.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load generator for OpenTSDB {@code /api/put}: node-exporter-like series written in batches by
 * several concurrent clients, reporting samples per second and request latency percentiles.
 */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = "Writes generated series through /api/put and reports throughput and latency.")
public final class PutBenchmark implements Callable<Integer> {

  @Option(names = "--url", description = "Base URL of a node (default: ${DEFAULT-VALUE}).")
  String url = "http://127.0.0.1:4242";

  @Option(names = "--series", description = "Distinct series (default: ${DEFAULT-VALUE}).")
  int series = 1000;

  @Option(names = "--batch", description = "Points per request (default: ${DEFAULT-VALUE}).")
  int batch = 1000;

  @Option(names = "--samples", description = "Total samples to write (default: ${DEFAULT-VALUE}).")
  long samples = 1_000_000;

  @Option(names = "--concurrency", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int concurrency = 4;

  @Option(names = "--metric", description = "Metric name prefix (default: ${DEFAULT-VALUE}).")
  String metric = "bench.node";

  @Option(
      names = "--start",
      description = "First timestamp, unix seconds (default: one day ago at start).")
  long startSeconds = System.currentTimeMillis() / 1000 - 86_400;

  private static final String[] METRICS = {"cpu.seconds", "memory.bytes", "disk.io", "net.bytes"};

  @Override
  public Integer call() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    long requests = (samples + batch - 1) / batch;
    AtomicLong next = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    long[] latenciesNanos = new long[(int) requests];
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long started = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          pool.submit(
              () -> {
                for (long r = next.getAndIncrement(); r < requests; r = next.getAndIncrement()) {
                  byte[] body = body(r);
                  HttpRequest request =
                      HttpRequest.newBuilder(URI.create(url + "/api/put"))
                          .timeout(Duration.ofSeconds(60))
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                          .build();
                  long t0 = System.nanoTime();
                  HttpResponse<String> response =
                      client.send(request, HttpResponse.BodyHandlers.ofString());
                  latenciesNanos[(int) r] = System.nanoTime() - t0;
                  if (response.statusCode() != 204) {
                    failures.incrementAndGet();
                    System.err.println("HTTP " + response.statusCode() + ": " + response.body());
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - started) / 1e9;
    Arrays.sort(latenciesNanos);
    long written = Math.min(samples, requests * batch);
    System.out.printf(
        "put: %d samples in %d requests of %d points, %d series, %d clients%n",
        written, requests, batch, series, concurrency);
    System.out.printf(
        "throughput: %.0f samples/s over %.1f s; failed requests: %d%n",
        written / seconds, seconds, failures.get());
    System.out.printf(
        "latency per request: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        percentile(latenciesNanos, 0.50),
        percentile(latenciesNanos, 0.99),
        latenciesNanos[latenciesNanos.length - 1] / 1e6);
    return failures.get() == 0 ? 0 : 1;
  }

  /** Request r carries points r*batch .. r*batch+batch-1; point i is series i % series. */
  private byte[] body(long r) {
    StringBuilder sb = new StringBuilder(batch * 110).append('[');
    for (long i = r * batch; i < Math.min(samples, (r + 1) * batch); i++) {
      int s = (int) (i % series);
      long ts = startSeconds + i / series;
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append("{\"metric\":\"")
          .append(metric)
          .append('.')
          .append(METRICS[s % METRICS.length])
          .append("\",\"timestamp\":")
          .append(ts)
          .append(",\"value\":")
          .append((i * 7919) % 100_000 / 100.0)
          .append(",\"tags\":{\"host\":\"host")
          .append(s / 40)
          .append("\",\"instance\":\"i")
          .append(s)
          .append("\"}}");
    }
    return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static double percentile(long[] sortedNanos, double q) {
    int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, index)] / 1e6;
  }
}
