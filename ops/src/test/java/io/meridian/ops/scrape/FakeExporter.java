package io.meridian.ops.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An exporter in the test JVM that a Meridian scraper scrapes like any other: one {@link
 * HttpServer} answering every path with a fixed status and body, after holding each request for a
 * while so that two overlapping scrapes of one target would overlap here too.
 *
 * <p>Bound to {@code 0.0.0.0}, one exporter stands for many targets: Linux routes all of {@code
 * 127.0.0.0/8} to loopback, so servers registered as 127.0.0.1, 127.0.0.2, … all reach it on the
 * same port, and the address a request came in on ({@link HttpExchange#getLocalAddress()}) tells
 * the targets apart. For each target it records every scrape (when it started and ended, which node
 * sent it by its {@value #SCRAPER_HEADER} header) and the most scrapes it ever had in flight at
 * once.
 */
final class FakeExporter implements AutoCloseable {

  /** The header a scraper names its node's cluster address in ({@code host:port}). */
  static final String SCRAPER_HEADER = "X-Meridian-Scraper";

  /** A few metrics of each kind, in the Prometheus text format. */
  static final String METRICS =
      """
      # HELP fake_requests_total Requests served.
      # TYPE fake_requests_total counter
      fake_requests_total{path="/"} 42
      fake_requests_total{path="/metrics"} 7
      # HELP fake_temperature_celsius A gauge.
      # TYPE fake_temperature_celsius gauge
      fake_temperature_celsius 21.5
      """;

  /** What the exporter answers. */
  record Reply(int status, String contentType, String body) {

    static Reply metrics() {
      return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", METRICS);
    }
  }

  /** One request a scraper made: which node sent it, and when (System.nanoTime). */
  record Scrape(String scraper, long startNanos, long endNanos) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Reply reply;
  private final Duration hold;
  private final Map<InetAddress, Target> targets = new ConcurrentHashMap<>();
  private final AtomicLong lastRequestNanos = new AtomicLong();

  private FakeExporter(HttpServer server, ExecutorService executor, Reply reply, Duration hold) {
    this.server = server;
    this.executor = executor;
    this.reply = reply;
    this.hold = hold;
  }

  /** Starts an exporter on a free port of {@code host} answering {@code reply} at once. */
  static FakeExporter start(String host, Reply reply) {
    return start(host, reply, Duration.ZERO);
  }

  /**
   * Starts an exporter on a free port of {@code host} answering {@code reply} after holding each
   * request for {@code hold}.
   */
  static FakeExporter start(String host, Reply reply, Duration hold) {
    try {
      // Enough backlog for a few hundred targets connecting at once.
      HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 1024);
      ExecutorService executor =
          Executors.newCachedThreadPool(
              task -> {
                Thread thread = new Thread(task, "fake-exporter");
                thread.setDaemon(true);
                return thread;
              });
      FakeExporter exporter = new FakeExporter(server, executor, reply, hold);
      server.createContext("/", exporter::handle);
      server.setExecutor(executor);
      server.start();
      return exporter;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a fake exporter on " + host, e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    lastRequestNanos.set(start);
    Target target =
        targets.computeIfAbsent(exchange.getLocalAddress().getAddress(), a -> new Target());
    target.started();
    String scraper = exchange.getRequestHeaders().getFirst(SCRAPER_HEADER);
    try {
      exchange.getRequestBody().readAllBytes();
      if (!hold.isZero()) {
        Thread.sleep(hold.toMillis());
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
      // Also when the scraper went away mid-request (its node was killed): the scrape ended.
      target.ended(new Scrape(scraper, start, System.nanoTime()));
    }
  }

  /** Requests received so far, over all targets. */
  int requests() {
    return targets.values().stream().mapToInt(Target::count).sum();
  }

  /** Requests received so far on {@code address}. */
  int requests(InetAddress address) {
    Target target = targets.get(address);
    return target == null ? 0 : target.count();
  }

  /** When the last request arrived (System.nanoTime), 0 if none has. */
  long lastRequestNanos() {
    return lastRequestNanos.get();
  }

  /** The addresses requests came in on so far. */
  List<InetAddress> targets() {
    return List.copyOf(targets.keySet());
  }

  /** The scrapes of {@code address} that have ended, in the order they started. */
  List<Scrape> scrapes(InetAddress address) {
    Target target = targets.get(address);
    return target == null ? List.of() : target.scrapes();
  }

  /** The most requests {@code address} ever had in flight at once. */
  int maxInFlight(InetAddress address) {
    Target target = targets.get(address);
    return target == null ? 0 : target.maxInFlight.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What one target address has seen. */
  private static final class Target {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger count = new AtomicInteger();
    private final List<Scrape> scrapes = new ArrayList<>();

    void started() {
      count.incrementAndGet();
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
    }

    void ended(Scrape scrape) {
      inFlight.decrementAndGet();
      synchronized (scrapes) {
        scrapes.add(scrape);
      }
    }

    int count() {
      return count.get();
    }

    List<Scrape> scrapes() {
      synchronized (scrapes) {
        List<Scrape> sorted = new ArrayList<>(scrapes);
        sorted.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return sorted;
      }
    }
  }
}
