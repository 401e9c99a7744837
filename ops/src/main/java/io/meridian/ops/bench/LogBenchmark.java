package io.meridian.ops.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Benchmark of the log-excerpt API: ingests generated log entries as NDJSON through {@code POST
 * /v1/log_excerpts} from several concurrent clients, then times excerpt queries over random
 * 1-minute and 1-hour ranges of what it stored, one at a time, and one long-poll round trip.
 * Reports entries per second ingested and the latency percentiles docs/benchmarks.md records.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description =
        "Ingests generated log entries through POST /v1/log_excerpts (NDJSON), then times"
            + " excerpt queries and a long-poll round trip.")
public final class LogBenchmark implements Callable<Integer> {

  /** The range sizes excerpt queries alternate between. */
  static final List<Duration> RANGES = List.of(Duration.ofMinutes(1), Duration.ofHours(1));

  /** How many failed requests are described on stderr; the rest are only counted. */
  private static final int FAILURES_SHOWN = 10;

  /** How often one POST is retried when the node answers 503 (it says when with Retry-After). */
  private static final int MAX_ATTEMPTS = 30;

  @Spec CommandSpec spec;

  @Option(names = "--url", description = "Base URL of a node (default: ${DEFAULT-VALUE}).")
  String url = "http://127.0.0.1:4242";

  @Option(
      names = "--poll-url",
      description =
          "Base URL of the node the long poll waits on (default: --url); another node of the"
              + " cluster measures delivery across nodes.")
  String pollUrl;

  @Option(names = "--entries", description = "Entries to ingest (default: ${DEFAULT-VALUE}).")
  long entries = 1_000_000;

  @Option(names = "--batch", description = "NDJSON lines per POST (default: ${DEFAULT-VALUE}).")
  int batch = 1000;

  @Option(names = "--concurrency", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int concurrency = 4;

  @Option(names = "--services", description = "Distinct services (default: ${DEFAULT-VALUE}).")
  int services = 20;

  @Option(
      names = "--span",
      converter = SpanConverter.class,
      description = "Time span the entries cover, ending now: 90s, 15m, 24h, 7d… (default: 24h).")
  Duration span = Duration.ofHours(24);

  @Option(
      names = "--excerpts",
      description =
          "Excerpt queries to time after ingesting, alternately over random 1-minute and 1-hour"
              + " ranges (default: ${DEFAULT-VALUE}).")
  int excerpts = 200;

  @Option(
      names = "--seed",
      description = "Seed of the random excerpt ranges (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  private final AtomicInteger failuresShown = new AtomicInteger();

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    long end = System.currentTimeMillis();
    GeneratedLog log = new GeneratedLog(entries, services, end - span.toMillis(), end);

    long failures = ingest(client, log, out);
    for (int r = 0; r < RANGES.size(); r++) {
      failures += excerpts(client, log, r, out);
    }
    failures += longPoll(client, end, out);
    out.flush();
    return failures == 0 ? 0 : 1;
  }

  private void validate() {
    if (entries < 1 || batch < 1 || concurrency < 1 || services < 1 || excerpts < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--entries, --batch, --concurrency and --services must be at least 1,"
              + " --excerpts at least 0");
    }
    if ((entries + batch - 1) / batch > Integer.MAX_VALUE) {
      throw new ParameterException(spec.commandLine(), "too many requests: raise --batch");
    }
  }

  /** Posts every entry, request r carrying entries r*batch…; returns the failed requests. */
  private long ingest(HttpClient client, GeneratedLog log, PrintWriter out)
      throws InterruptedException, ExecutionException {
    int requests = (int) ((entries + batch - 1) / batch);
    long[] latencies = new long[requests];
    AtomicLong next = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long started = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          pool.submit(
              () -> {
                for (long r = next.getAndIncrement(); r < requests; r = next.getAndIncrement()) {
                  HttpRequest request =
                      HttpRequest.newBuilder(URI.create(url + "/v1/log_excerpts"))
                          .timeout(Duration.ofSeconds(60))
                          .header("Content-Type", "application/x-ndjson")
                          .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson(log, r)))
                          .build();
                  for (int attempt = 1; ; attempt++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> response =
                        client.send(request, HttpResponse.BodyHandlers.ofString());
                    latencies[(int) r] = System.nanoTime() - t0;
                    if (response.statusCode() == 503 && attempt < MAX_ATTEMPTS) {
                      // The node is briefly unable to store (journal tables being created,
                      // overload): it says when to retry.
                      retries.incrementAndGet();
                      Thread.sleep(retryAfterMillis(response));
                      continue;
                    }
                    if (response.statusCode() != 204) {
                      failed.incrementAndGet();
                      showFailure("POST of request " + r, response);
                    }
                    break;
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
    out.printf(
        Locale.ROOT,
        "logs: %d entries in %d NDJSON requests of %d lines, %d services, over %s ending %s,"
            + " %d clients%n",
        entries,
        requests,
        batch,
        services,
        SpanConverter.format(span),
        Instant.ofEpochMilli(log.endMs()),
        concurrency);
    out.printf(
        Locale.ROOT,
        "ingest: %.0f entries/s over %.1f s; failed requests: %d; 503s retried: %d%n",
        entries / seconds,
        seconds,
        failed.get(),
        retries.get());
    out.println("POST latency: " + Latencies.of(latencies).format());
    return failed.get();
  }

  /** Times the excerpt queries over ranges of size {@code RANGES.get(rangeIndex)}. */
  private long excerpts(HttpClient client, GeneratedLog log, int rangeIndex, PrintWriter out)
      throws IOException, InterruptedException {
    Duration range = RANGES.get(rangeIndex);
    int queries = excerpts / RANGES.size() + (rangeIndex < excerpts % RANGES.size() ? 1 : 0);
    if (queries == 0) {
      return 0;
    }
    long size = Math.min(range.toMillis(), log.endMs() - log.startMs());
    Random random = new Random(seed + rangeIndex);
    long[] latencies = new long[queries];
    long failed = 0;
    long returned = 0;
    long minReturned = Long.MAX_VALUE;
    long maxReturned = 0;
    int mismatches = 0;
    for (int q = 0; q < queries; q++) {
      long from =
          log.startMs() + (long) (random.nextDouble() * (log.endMs() - log.startMs() - size));
      long to = from + size;
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url + "/v1/log_excerpts/" + from + "/" + to))
              .timeout(Duration.ofSeconds(60))
              .GET()
              .build();
      long t0 = System.nanoTime();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      latencies[q] = System.nanoTime() - t0;
      if (response.statusCode() != 200) {
        failed++;
        showFailure("GET " + request.uri(), response);
        continue;
      }
      long count = LogExcerpts.entries(response.body()).size();
      returned += count;
      minReturned = Math.min(minReturned, count);
      maxReturned = Math.max(maxReturned, count);
      if (count != log.countIn(from, to)) {
        mismatches++;
      }
    }
    long answered = queries - failed;
    out.printf(
        Locale.ROOT,
        "excerpts over %s ranges: %d queries, latency %s; entries returned avg %.0f (min %d, max"
            + " %d); failed: %d; counts other than generated: %d%n",
        SpanConverter.format(range),
        queries,
        Latencies.of(latencies).format(),
        answered == 0 ? 0.0 : (double) returned / answered,
        answered == 0 ? 0 : minReturned,
        maxReturned,
        failed,
        mismatches);
    return failed;
  }

  /** One long poll on (now, now + 60 s] answered by an entry posted to --url. */
  private long longPoll(HttpClient client, long ingestEnd, PrintWriter out)
      throws InterruptedException {
    String poll = pollUrl == null ? url : pollUrl;
    long from = Math.max(System.currentTimeMillis(), ingestEnd);
    String entry =
        "{\"timestamp\":"
            + (from + 1)
            + ",\"ip\":\"10.255.255.254\",\"pid\":1,\"service\":\"bench-long-poll\",\"level\":1,"
            + "\"msg\":\"long-poll probe\"}";
    try {
      LongPollRoundTrip.Result result =
          LongPollRoundTrip.run(
              client, poll, url, from, from + 60_000, List.of(entry), Duration.ofSeconds(60));
      int returned =
          result.answer().statusCode() == 200
              ? LogExcerpts.entries(result.answer().body()).size()
              : 0;
      out.printf(
          Locale.ROOT,
          "long poll: answered %d (entries: %d) %.1f ms after the POST's 204"
              + " (poll on %s, entry posted to %s, poll held %d ms before the POST)%n",
          result.answer().statusCode(),
          returned,
          result.postToAnswerMillis(),
          poll,
          url,
          result.heldBeforePost().toMillis());
      return result.answer().statusCode() == 200 && returned == 1 ? 0 : 1;
    } catch (IOException | RuntimeException e) {
      out.println("long poll: failed: " + e.getMessage());
      return 1;
    }
  }

  /** Request r as NDJSON: entries r*batch … min(entries, (r+1)*batch) - 1, one per line. */
  byte[] ndjson(GeneratedLog log, long r) {
    StringBuilder body = new StringBuilder(batch * 200);
    for (long i = r * batch; i < Math.min(entries, (r + 1) * batch); i++) {
      body.append(log.line(i)).append('\n');
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long retryAfterMillis(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            seconds -> {
              try {
                return Math.max(1, Long.parseLong(seconds.trim())) * 1000;
              } catch (NumberFormatException e) {
                return 1000L;
              }
            })
        .orElse(1000L);
  }

  private void showFailure(String what, HttpResponse<String> response) {
    if (failuresShown.incrementAndGet() <= FAILURES_SHOWN) {
      String body = response.body();
      spec.commandLine()
          .getErr()
          .println(
              what
                  + ": HTTP "
                  + response.statusCode()
                  + " "
                  + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
    }
  }
}
