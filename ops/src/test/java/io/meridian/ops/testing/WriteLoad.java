package io.meridian.ops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A steady OpenTSDB write load from several client threads, spread round-robin over the nodes a
 * supplier names (as a load balancer would), that records the fate of every request: acknowledged
 * (2xx), refused with a retriable 503 (with or without Retry-After), failed otherwise, or lost with
 * its connection. Each request writes one point into each of the client's lanes (series {@code
 * <metric>{client=cN,lane=L}}) at the client's next second, valued with that sequence number, so
 * {@link #missingAcknowledgedPoints} can check that every acknowledged point is readable.
 */
public final class WriteLoad implements AutoCloseable {

  /** Series per client by default; a request writes one point in each. */
  public static final int LANES = 10;

  /** A request answered with neither 2xx nor 503. */
  public record Failure(String node, int status, String body) {}

  private static final long BASE_SECONDS = 1_700_000_000L;

  private final String metric;
  private final int lanes;
  private final Supplier<List<String>> targets;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Thread> threads = new ArrayList<>();
  private final Map<Integer, NavigableSet<Integer>> acknowledged = new ConcurrentHashMap<>();
  private final List<Failure> failures = new CopyOnWriteArrayList<>();
  private final List<Long> unavailableNanos = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger unavailableWithoutRetryAfter = new AtomicInteger();
  private final AtomicInteger connectionErrors = new AtomicInteger();

  /** How each lost request was lost (exception and message), so that a summary explains it. */
  private final Map<String, AtomicInteger> connectionErrorKinds = new ConcurrentHashMap<>();

  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger acknowledgedRequests = new AtomicInteger();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  private WriteLoad(String metric, int lanes, Supplier<List<String>> targets) {
    this.metric = metric;
    this.lanes = lanes;
    this.targets = targets;
  }

  /** Starts {@code clients} threads writing {@code metric} through the nodes {@code targets}. */
  public static WriteLoad start(String metric, int clients, Supplier<List<String>> targets) {
    return start(metric, clients, LANES, targets);
  }

  /** Like {@link #start(String, int, Supplier)}, with {@code lanes} points per request. */
  public static WriteLoad start(
      String metric, int clients, int lanes, Supplier<List<String>> targets) {
    WriteLoad load = new WriteLoad(metric, lanes, targets);
    for (int c = 0; c < clients; c++) {
      int id = c;
      load.acknowledged.put(id, new ConcurrentSkipListSet<>());
      Thread thread = new Thread(() -> load.run(id), "write-load-" + metric + "-" + id);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void run(int id) {
    int seq = 0;
    while (running) {
      List<String> nodes = targets.get();
      if (nodes.isEmpty()) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      String node = nodes.get((int) (requests.getAndIncrement() % nodes.size()));
      AtomicInteger nodeInFlight = inFlight.computeIfAbsent(node, n -> new AtomicInteger());
      nodeInFlight.incrementAndGet();
      if (!targets.get().contains(node)) {
        // Taken out of rotation meanwhile: a balancer would not send this request there.
        nodeInFlight.decrementAndGet();
        continue;
      }
      long started = System.nanoTime();
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create(node + "/api/put"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(id, seq)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          acknowledged.get(id).add(seq);
          acknowledgedRequests.incrementAndGet();
        } else if (status == 503) {
          unavailableNanos.add(System.nanoTime() - started);
          if (response.headers().firstValue("Retry-After").isEmpty()) {
            unavailableWithoutRetryAfter.incrementAndGet();
          }
        } else {
          failures.add(new Failure(node, status, response.body()));
        }
      } catch (IOException e) {
        // The node went away mid-request: nothing was acknowledged, the client would retry.
        connectionErrors.incrementAndGet();
        connectionErrorKinds
            .computeIfAbsent(
                e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new AtomicInteger())
            .incrementAndGet();
      } catch (InterruptedException e) {
        return;
      } finally {
        nodeInFlight.decrementAndGet();
      }
      seq++;
    }
  }

  private String body(int client, int seq) {
    StringBuilder body = new StringBuilder("[");
    for (int lane = 0; lane < lanes; lane++) {
      if (lane > 0) {
        body.append(',');
      }
      body.append("{\"metric\":\"")
          .append(metric)
          .append("\",\"timestamp\":")
          .append(BASE_SECONDS + seq)
          .append(",\"value\":")
          .append(seq)
          .append(",\"tags\":{\"client\":\"c")
          .append(client)
          .append("\",\"lane\":\"")
          .append(lane)
          .append("\"}}");
    }
    return body.append(']').toString();
  }

  /** Requests acknowledged so far. */
  public int acknowledgedRequests() {
    return acknowledgedRequests.get();
  }

  /** Waits until {@code more} further requests have been acknowledged. */
  public void awaitAcknowledged(int more, Duration timeout) throws InterruptedException {
    int target = acknowledgedRequests() + more;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acknowledgedRequests() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "only "
                + acknowledgedRequests()
                + " of "
                + target
                + " requests acknowledged within "
                + timeout
                + "; "
                + summary());
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits until no request is on its way to {@code node}; with the node out of rotation, none will
   * be again, so it can be stopped without cutting off a request.
   */
  public void awaitNoneInFlightTo(String node, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.getOrDefault(node, new AtomicInteger()).get() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("requests to " + node + " still in flight after " + timeout);
      }
      Thread.sleep(10);
    }
  }

  /** Stops the clients and waits for their last requests. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(90).toMillis());
    }
  }

  public List<Failure> failures() {
    return List.copyOf(failures);
  }

  public int unavailable() {
    return unavailableNanos.size();
  }

  public int unavailableWithoutRetryAfter() {
    return unavailableWithoutRetryAfter.get();
  }

  public int connectionErrors() {
    return connectionErrors.get();
  }

  /** Points acknowledged so far. */
  public long acknowledgedPoints() {
    return (long) acknowledgedRequests() * lanes;
  }

  public String summary() {
    return String.format(
            "%d requests: %d acknowledged, %d answered 503, %d failed otherwise, %d lost with their"
                + " connection",
            requests.get(),
            acknowledgedRequests(),
            unavailable(),
            failures.size(),
            connectionErrors())
        + (connectionErrorKinds.isEmpty() ? "" : " " + connectionErrorKinds);
  }

  /**
   * Reads every client's series back through {@code node} and returns the acknowledged points that
   * are missing (empty when nothing acknowledged was lost). A timestamp counts as present when all
   * lanes hold their point, i.e. the sum over the lanes equals {@code lanes × seq}.
   */
  public List<String> missingAcknowledgedPoints(String node) {
    Http http = new Http(node);
    List<String> missing = new ArrayList<>();
    for (Map.Entry<Integer, NavigableSet<Integer>> entry : acknowledged.entrySet()) {
      Set<Integer> seqs = entry.getValue();
      if (seqs.isEmpty()) {
        continue;
      }
      int last = entry.getValue().last();
      String query =
          "/api/query?start="
              + (BASE_SECONDS - 1)
              + "&end="
              + (BASE_SECONDS + last + 1)
              + "&m=sum:"
              + metric
              + "%7Bclient=c"
              + entry.getKey()
              + "%7D";
      Http.Response response = http.get(query);
      // A 503 says the cluster is still moving shards: ask again, as a client would.
      for (int attempt = 0; attempt < 30 && response.status() == 503; attempt++) {
        pause(Duration.ofSeconds(1));
        response = http.get(query);
      }
      if (response.status() != 200) {
        missing.add("client c" + entry.getKey() + ": query answered " + response.status());
        continue;
      }
      JsonNode dps = response.json().path(0).path("dps");
      for (int seq : seqs) {
        JsonNode value = dps.path(Long.toString(BASE_SECONDS + seq));
        if (value.isMissingNode() || value.asDouble() != (double) lanes * seq) {
          missing.add("c" + entry.getKey() + "@" + seq + "=" + value);
        }
      }
    }
    return missing;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The 503s' latencies in milliseconds, sorted. */
  public List<Double> unavailableMillis() {
    synchronized (unavailableNanos) {
      return unavailableNanos.stream().map(n -> n / 1e6).sorted().toList();
    }
  }
}
