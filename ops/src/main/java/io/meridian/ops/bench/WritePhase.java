package io.meridian.ops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One phase of an ingest benchmark: scrapes {@code firstRound…} of groups of series ("chunks"),
 * each request carrying one chunk over {@code roundsPerRequest} scrapes, sent over {@code
 * connections} HTTP/1.1 keep-alive connections until the rounds or the time are up.
 *
 * <p>Connection {@code k} sends the chunks {@code c} with {@code c % connections == k}, in order,
 * one request at a time: a series' samples therefore always arrive in time order, which receivers
 * like Prometheus insist on. Connections also keep in step, none more than {@link #MAX_LEAD}
 * requests' rounds ahead of the slowest, as scrapes of many targets would: otherwise a connection
 * with fewer chunks would run ahead in virtual time, and Prometheus refuses samples more than an
 * hour older than the newest it has. Each connection has a producer thread encoding its requests
 * ahead of the sender into a short queue, so the sender only waits for the server.
 */
final class WritePhase {

  /** How many encoded requests a connection keeps ready. */
  private static final int QUEUE_DEPTH = 4;

  /** How many requests' rounds a connection may start ahead of the slowest one's completed. */
  private static final int MAX_LEAD = 2;

  /** How many failed requests are described on stderr; the rest are only counted. */
  private static final int FAILURES_SHOWN = 5;

  /**
   * A request ready to send: scrapes {@code round…} ({@code rounds} of them) of {@code series};
   * {@code done}: the rounds complete once it is answered, or -1.
   */
  private record Ready(SampleEncoder.Body body, long done, int[] series, long round, int rounds) {}

  private static final Ready END = new Ready(null, -1, null, 0, 0);

  /**
   * Told of each answered request, on its sender's thread: which scrapes ({@code rounds} of them
   * from {@code firstRound}) of which series it carried.
   */
  interface Acknowledgements {
    void acknowledged(int[] series, long firstRound, int rounds);

    /**
     * The request was sent but not acknowledged (an error status or no answer): the server may or
     * may not have kept its samples.
     */
    default void failed(int[] series, long firstRound, int rounds) {}

    /** Tells this listener, then {@code next}. */
    default Acknowledgements andThen(Acknowledgements next) {
      Acknowledgements first = this;
      return new Acknowledgements() {
        @Override
        public void acknowledged(int[] series, long firstRound, int rounds) {
          first.acknowledged(series, firstRound, rounds);
          next.acknowledged(series, firstRound, rounds);
        }

        @Override
        public void failed(int[] series, long firstRound, int rounds) {
          first.failed(series, firstRound, rounds);
          next.failed(series, firstRound, rounds);
        }
      };
    }
  }

  private final HttpClient client;
  private final URI target;
  private final List<String> extraHeaders;
  private final Supplier<SampleEncoder> encoders;
  private final List<int[]> chunks;
  private final long firstRound;
  private final long endRound;
  private final int roundsPerRequest;
  private final int connections;
  private final AtomicInteger failuresShown = new AtomicInteger();
  private Acknowledgements acknowledgements = (series, firstRound, rounds) -> {};

  /** Each connection's rounds completed (answered, acknowledged or not); guarded by itself. */
  private final long[] completed;

  /**
   * @param endRound the first round not sent ({@link Long#MAX_VALUE}: until the deadline)
   * @param extraHeaders added to the encoder's, as name, value, name, value…
   */
  WritePhase(
      HttpClient client,
      URI target,
      List<String> extraHeaders,
      Supplier<SampleEncoder> encoders,
      List<int[]> chunks,
      long firstRound,
      long endRound,
      int roundsPerRequest,
      int connections) {
    this.client = client;
    this.target = target;
    this.extraHeaders = List.copyOf(extraHeaders);
    this.encoders = encoders;
    this.chunks = List.copyOf(chunks);
    this.firstRound = firstRound;
    this.endRound = endRound;
    this.roundsPerRequest = roundsPerRequest;
    this.connections = Math.min(connections, chunks.size());
    this.completed = new long[this.connections];
  }

  /**
   * Tells {@code listener} which scrapes each acknowledged (or failed) request carried: the
   * benchmark counts the samples that end up in sealed chunks from them, and {@code --verify} reads
   * them back; call before {@link #run}.
   */
  WritePhase onAcknowledged(Acknowledgements listener) {
    this.acknowledgements = listener;
    return this;
  }

  /** What a phase did. */
  record Result(
      long requests,
      long acknowledgedRequests,
      long acknowledgedSamples,
      Map<String, Long> failures,
      long[] latencyNanos,
      double seconds,
      long roundsDone) {

    long failed() {
      return failures.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Sends until every round is sent or {@code timeLimit} has passed, then awaits what is sent;
   * once.
   */
  Result run(Duration timeLimit) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + timeLimit.toNanos();
    List<Connection> loops = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < connections; k++) {
      List<int[]> own = new ArrayList<>();
      for (int c = k; c < chunks.size(); c += connections) {
        own.add(chunks.get(c));
      }
      Connection loop = new Connection(k, own, deadline);
      loops.add(loop);
      threads.add(new Thread(loop::produce, "ingest-encoder-" + k));
      threads.add(new Thread(loop::send, "ingest-sender-" + k));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long requests = 0;
    long acknowledgedRequests = 0;
    long samples = 0;
    long rounds = Long.MAX_VALUE;
    Map<String, Long> failures = new TreeMap<>();
    long[] latencies = new long[0];
    for (Connection loop : loops) {
      requests += loop.requests;
      acknowledgedRequests += loop.acknowledged;
      samples += loop.samples;
      rounds = Math.min(rounds, loop.roundsDone);
      loop.failures.forEach((status, n) -> failures.merge(status, n, Long::sum));
      int from = latencies.length;
      latencies = Arrays.copyOf(latencies, from + loop.latencyCount);
      System.arraycopy(loop.latencies, 0, latencies, from, loop.latencyCount);
    }
    return new Result(
        requests,
        acknowledgedRequests,
        samples,
        failures,
        latencies,
        seconds,
        loops.isEmpty() ? 0 : rounds);
  }

  /** One connection's producer and sender, and what its sender counted. */
  private final class Connection {
    final int number;
    final List<int[]> own;
    final long deadline;
    final AtomicBoolean stop = new AtomicBoolean();
    final BlockingQueue<Ready> ready = new ArrayBlockingQueue<>(QUEUE_DEPTH);
    final Map<String, Long> failures = new TreeMap<>();
    long[] latencies = new long[1024];
    int latencyCount;
    long requests;
    long acknowledged;
    long samples;
    long roundsDone;

    Connection(int number, List<int[]> own, long deadline) {
      this.number = number;
      this.own = own;
      this.deadline = deadline;
    }

    void produce() {
      try {
        SampleEncoder encoder = encoders.get();
        for (long round = firstRound; round < endRound && !stop.get(); round += roundsPerRequest) {
          int rounds = (int) Math.min(roundsPerRequest, endRound - round);
          awaitSlowest(round - firstRound - (long) MAX_LEAD * roundsPerRequest);
          for (int c = 0; c < own.size() && !stop.get(); c++) {
            SampleEncoder.Body body = encoder.encode(own.get(c), round, rounds);
            // The rounds are complete once the last chunk is answered.
            Ready next =
                new Ready(
                    body,
                    c == own.size() - 1 ? round + rounds - firstRound : -1,
                    own.get(c),
                    round,
                    rounds);
            while (!stop.get() && !ready.offer(next, 100, TimeUnit.MILLISECONDS)) {
              // The sender is busy: keep checking whether the phase ended meanwhile.
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        // Also after a failure to encode, so that the sender does not wait for ever.
        end();
      }
    }

    /** Waits until every connection has completed {@code rounds}, or this one has stopped. */
    private void awaitSlowest(long rounds) throws InterruptedException {
      synchronized (completed) {
        while (!stop.get() && Arrays.stream(completed).min().orElse(0) < rounds) {
          completed.wait(100);
        }
      }
    }

    /** Records this connection's completed rounds ({@link Long#MAX_VALUE}: it has ended). */
    private void complete(long rounds) {
      synchronized (completed) {
        completed[number] = rounds;
        completed.notifyAll();
      }
    }

    /** Queues the end after what is ready, or in place of it once the sender has stopped. */
    private void end() {
      while (true) {
        if (stop.get()) {
          ready.clear();
        }
        try {
          if (ready.offer(END, 100, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          stop.set(true);
          Thread.currentThread().interrupt();
        }
      }
    }

    void send() {
      HttpRequest.Builder template = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60));
      List<String> headers = new ArrayList<>(encoders.get().headers());
      headers.addAll(extraHeaders);
      for (int h = 0; h < headers.size(); h += 2) {
        template.header(headers.get(h), headers.get(h + 1));
      }
      try {
        while (true) {
          Ready next = ready.take();
          if (next == END) {
            return;
          }
          SampleEncoder.Body body = next.body();
          long done = next.done();
          if (System.nanoTime() >= deadline) {
            return;
          }
          HttpRequest request =
              template.copy().POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
          long t0 = System.nanoTime();
          String failure;
          try {
            HttpResponse<String> response =
                client.send(request, HttpResponse.BodyHandlers.ofString());
            failure = response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
            if (failure != null) {
              show(failure + ": " + response.body());
            }
          } catch (IOException e) {
            failure = e.getClass().getSimpleName();
            show(failure + ": " + e.getMessage());
          }
          record(System.nanoTime() - t0);
          requests++;
          if (done >= 0) {
            roundsDone = done;
            complete(done);
          }
          if (failure == null) {
            acknowledged++;
            samples += body.samples();
            acknowledgements.acknowledged(next.series(), next.round(), next.rounds());
          } else {
            failures.merge(failure, 1L, Long::sum);
            acknowledgements.failed(next.series(), next.round(), next.rounds());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        // Also when sending failed unexpectedly: neither this connection's producer nor the
        // other connections may wait for this sender any more.
        stop.set(true);
        complete(Long.MAX_VALUE);
      }
    }

    private void record(long nanos) {
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencyCount * 2);
      }
      latencies[latencyCount++] = nanos;
    }

    private void show(String failure) {
      if (failuresShown.incrementAndGet() <= FAILURES_SHOWN) {
        String text = failure.length() > 500 ? failure.substring(0, 500) + "…" : failure;
        System.err.println("write to " + target + " failed: " + text);
      }
    }
  }
}
