package io.meridian.node.scrape;

import io.meridian.protocol.exposition.ExpositionParser;
import io.meridian.protocol.exposition.MetricFamily;
import io.meridian.protocol.exposition.ParseResult;
import io.meridian.protocol.scrape.TargetHealth;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Fetches and parses one scrape of a target over HTTP/1.1 the way Prometheus does: the same Accept
 * header (OpenMetrics preferred, the Prometheus text format accepted), gzip, the job's timeout for
 * the whole scrape, a bound on the body and on the number of samples. One client per node; scrapes
 * run concurrently on the JDK client's own threads, never on the actor dispatcher.
 */
public final class ScrapeClient {

  /** What Prometheus 2.42 sends (scrape.go {@code scrapeAcceptHeader}). */
  static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
          + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  /** Names the node that scraped, so that tests and exporters' logs can tell scrapers apart. */
  static final String SCRAPER_HEADER = "X-Meridian-Scraper";

  static final String BODY_LIMIT_EXCEEDED = "body size limit exceeded";
  static final String SAMPLE_LIMIT_EXCEEDED = "sample limit exceeded";

  private static final String USER_AGENT =
      "Meridian/"
          + Objects.requireNonNullElse(
              ScrapeClient.class.getPackage().getImplementationVersion(), "dev");

  private final HttpClient http;
  private final String scraper;
  private final long maxBodyBytes;
  private final int sampleLimit;

  /**
   * A client whose scrapes name {@code scraper} and fail beyond {@code maxBodyBytes} (after gzip)
   * or {@code sampleLimit} samples.
   *
   * @param scraper this node's cluster address, {@code host:port}, sent as {@value SCRAPER_HEADER}
   */
  public ScrapeClient(String scraper, long maxBodyBytes, int sampleLimit) {
    // No client-wide connect timeout: each request's timeout (the job's) bounds its connect too.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.scraper = scraper;
    this.maxBodyBytes = maxBodyBytes;
    this.sampleLimit = sampleLimit;
  }

  /** The client of this node, identified by its cluster address. */
  public static ScrapeClient create(ActorSystem<?> system, ScrapeSettings settings) {
    Address self = Cluster.get(system).selfMember().address();
    String scraper =
        self.getHost().orElse("local") + ":" + self.getPort().map(String::valueOf).orElse("0");
    return new ScrapeClient(scraper, settings.maxBodyBytes(), settings.sampleLimit());
  }

  /**
   * Scrapes {@code spec.url()} once. Never fails: every problem becomes a {@link
   * ScrapeOutcome.Failed}.
   */
  public CompletionStage<ScrapeOutcome> scrape(ScrapeSpec spec) {
    long startMs = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Duration timeout = Duration.ofSeconds(Math.max(1, spec.timeoutSec()));
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(spec.url()))
              .GET()
              .timeout(timeout)
              .header("Accept", ACCEPT)
              .header("Accept-Encoding", "gzip")
              .header("User-Agent", USER_AGENT)
              .header("X-Prometheus-Scrape-Timeout-Seconds", String.valueOf(timeout.toSeconds()))
              .header(SCRAPER_HEADER, scraper)
              .build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new ScrapeOutcome.Failed(
              TargetHealth.CONNECTION_FAILED, "invalid URL " + spec.url(), 0, startMs, 0));
    }
    LimitedBody body = new LimitedBody(maxBodyBytes);
    CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request, info -> body);
    // The request timeout ends at the response headers; this bounds reading the body too, and
    // cancelling the body's subscription closes the connection of a target that stalls.
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (sent.cancel(true)) {
                body.cancel();
              }
            });
    return sent.handle(
        (response, failure) -> {
          if (failure != null) {
            return failed(failure, timeout, startMs, startNanos);
          }
          try {
            return read(response, startMs, startNanos);
          } catch (IOException e) {
            return failed(e, timeout, startMs, startNanos);
          } catch (RuntimeException e) {
            // A parser defect must not pass for a failed store or leave the scrape unanswered.
            return new ScrapeOutcome.Failed(
                TargetHealth.PARSE_ERROR,
                "the body could not be read: " + e.getClass().getSimpleName(),
                0,
                startMs,
                seconds(startNanos));
          }
        });
  }

  private ScrapeOutcome read(HttpResponse<byte[]> response, long startMs, long startNanos)
      throws IOException {
    if (response.statusCode() != 200) {
      return new ScrapeOutcome.Failed(
          TargetHealth.HTTP_STATUS,
          "server returned HTTP status " + status(response.statusCode()),
          0,
          startMs,
          seconds(startNanos));
    }
    byte[] body = response.body();
    if (response
        .headers()
        .firstValue("Content-Encoding")
        .map(e -> e.trim().equalsIgnoreCase("gzip"))
        .orElse(false)) {
      body = gunzip(body);
      if (body == null) {
        return new ScrapeOutcome.Failed(
            TargetHealth.LIMIT_EXCEEDED, BODY_LIMIT_EXCEEDED, 0, startMs, seconds(startNanos));
      }
    }
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    ParseResult parsed =
        ExpositionParser.parse(new String(body, StandardCharsets.UTF_8), contentType, startMs);
    if (parsed instanceof ParseResult.Failed parseFailure) {
      return new ScrapeOutcome.Failed(
          TargetHealth.PARSE_ERROR, parseFailure.failReason(), 0, startMs, seconds(startNanos));
    }
    List<MetricFamily> families = ((ParseResult.Parsed) parsed).families();
    int samples = families.stream().mapToInt(family -> family.samples().size()).sum();
    if (samples > sampleLimit) {
      return new ScrapeOutcome.Failed(
          TargetHealth.LIMIT_EXCEEDED,
          SAMPLE_LIMIT_EXCEEDED,
          samples,
          startMs,
          seconds(startNanos));
    }
    return new ScrapeOutcome.Scraped(families, samples, startMs, seconds(startNanos));
  }

  /** The decompressed body, or null if it exceeds the limit (only limit + 1 bytes are inflated). */
  private byte[] gunzip(byte[] compressed) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, compressed.length * 4));
      byte[] buffer = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > maxBodyBytes) {
          return null;
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static ScrapeOutcome failed(
      Throwable failure, Duration timeout, long startMs, long startNanos) {
    Throwable cause = unwrap(failure);
    int code;
    String reason;
    if (cause instanceof CancellationException
        || cause instanceof HttpTimeoutException
        || cause instanceof TimeoutException) {
      code = TargetHealth.TIMEOUT;
      reason = "scrape timed out after " + timeout.toSeconds() + "s (context deadline exceeded)";
    } else if (cause instanceof BodyTooLarge) {
      code = TargetHealth.LIMIT_EXCEEDED;
      reason = BODY_LIMIT_EXCEEDED;
    } else {
      code = TargetHealth.CONNECTION_FAILED;
      reason = connectionFailure(cause);
    }
    return new ScrapeOutcome.Failed(code, reason, 0, startMs, seconds(startNanos));
  }

  /** Text that depends only on the kind of failure, never on timings or local ports. */
  private static String connectionFailure(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
      return "no such host";
    }
    String message = root.getMessage() == null ? "" : root.getMessage().toLowerCase(Locale.ROOT);
    if (root instanceof ConnectException || cause instanceof ConnectException) {
      return message.contains("refused") || message.isEmpty() ? "connection refused" : message;
    }
    if (message.isEmpty()) {
      return root.getClass().getSimpleName();
    }
    return message;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    // The JDK client wraps the cause of a failed exchange in an IOException of the same message.
    if (cause instanceof IOException && cause.getCause() instanceof BodyTooLarge tooLarge) {
      return tooLarge;
    }
    if (cause instanceof IOException && cause.getCause() instanceof HttpTimeoutException timeout) {
      return timeout;
    }
    return cause;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The status line as Go's {@code http.Response.Status} writes it, which Prometheus reports. */
  static String status(int code) {
    String text = STATUS_TEXT.get(code);
    return text == null ? String.valueOf(code) : code + " " + text;
  }

  private static final Map<Integer, String> STATUS_TEXT =
      Map.ofEntries(
          Map.entry(201, "Created"),
          Map.entry(202, "Accepted"),
          Map.entry(204, "No Content"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Found"),
          Map.entry(304, "Not Modified"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(406, "Not Acceptable"),
          Map.entry(408, "Request Timeout"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(501, "Not Implemented"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"));

  /** The body exceeded {@code max-body-bytes}; reading stopped there. */
  private static final class BodyTooLarge extends IOException {
    BodyTooLarge() {
      super(BODY_LIMIT_EXCEEDED);
    }
  }

  /** Collects the body, cancelling the exchange as soon as it exceeds the limit. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;

    LimitedBody(long limit) {
      this.limit = limit;
    }

    /** Stops reading (the scrape timed out); the client then closes the connection. */
    void cancel() {
      Flow.Subscription current = subscription;
      if (current != null) {
        current.cancel();
      }
      result.cancel(false);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (out.size() + (long) buffer.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLarge());
          return;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        out.writeBytes(bytes);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
