package io.meridian.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.WriteLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node process under a write load far above what it may take in at once: what exceeds its
 * in-flight bounds is refused at once with 503 and Retry-After, what it acknowledges is stored, the
 * process survives with its memory bounded, and it serves normally again when the load stops. The
 * 503 latencies and the peak RSS go to {@code target/cluster-figures.txt}.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverloadTest {

  private static final int CLIENTS = 48;
  private static final int POINTS_PER_REQUEST = 1000;

  private LocalCluster cluster;
  private NodeProcess node;

  @BeforeAll
  void startNode(CassandraServer cassandra) throws Exception {
    String contactPoint =
        cassandra.contactPoint().getHostString() + ":" + cassandra.contactPoint().getPort();
    cluster =
        new LocalCluster(
            LocalCluster.Options.onFreePorts(
                    CassandraExtension.freshDirectory("overload"), contactPoint, "overload")
                .withSystemProperties(
                    Map.of(
                        "meridian.http.overload.max-requests-in-flight", "8",
                        "meridian.http.overload.max-bytes-in-flight", "2MiB",
                        // The load writes timestamps of 2023.
                        "meridian.series.retention.default", "0")));
    cluster.start(1);
    node = cluster.nodes().get(0);
  }

  @AfterAll
  void stopNode() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void loadFarAboveCapacityGetsFast503sAndTheNodeRecovers() throws Exception {
    Http http = new Http(node.url());
    awaitPutAccepted(http);
    AtomicLong peakRss = new AtomicLong();
    Thread sampler = new Thread(() -> sampleRss(node.pid(), peakRss), "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();

    WriteLoad load;
    try (WriteLoad running =
        WriteLoad.start("overload.m", CLIENTS, POINTS_PER_REQUEST, () -> List.of(node.url()))) {
      load = running;
      running.awaitAcknowledged(200, Duration.ofMinutes(3));
      awaitUnavailable(running, 500);
    }
    sampler.interrupt();

    assertThat(node.isAlive()).isTrue();
    assertThat(load.failures()).as(load.summary()).isEmpty();
    assertThat(load.connectionErrors()).as(load.summary()).isZero();
    assertThat(load.unavailable()).isPositive();
    assertThat(load.unavailableWithoutRetryAfter()).as("503s without Retry-After").isZero();

    // Recovers by itself: the next request is served and everything acknowledged is there.
    assertThat(
            http.post(
                    "/api/put",
                    "{\"metric\":\"overload.after\",\"timestamp\":1700000000,\"value\":1,"
                        + "\"tags\":{\"host\":\"a\"}}")
                .status())
        .isEqualTo(204);
    assertThat(node.isReady()).isTrue();
    assertThat(load.missingAcknowledgedPoints(node.url())).isEmpty();

    List<Double> millis = load.unavailableMillis();
    ClusterFigures.record(
        "overload",
        String.format(
            "%d clients × %d points per put against max-requests-in-flight 8, max-bytes-in-flight"
                + " 2MiB: %s; 503 latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; peak RSS %d MiB"
                + " (heap 384m)",
            CLIENTS,
            POINTS_PER_REQUEST,
            load.summary(),
            percentile(millis, 0.50),
            percentile(millis, 0.99),
            millis.get(millis.size() - 1),
            peakRss.get() / 1024 / 1024));
  }

  private static void awaitPutAccepted(Http http) throws InterruptedException {
    // The first write waits for the journal tables of a new keyspace to be created.
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (http.post(
                    "/api/put",
                    "{\"metric\":\"overload.warmup\",\"timestamp\":1700000000,\"value\":1,"
                        + "\"tags\":{\"host\":\"a\"}}")
                .status()
            != 204
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(500);
    }
  }

  private static void awaitUnavailable(WriteLoad load, int count) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (load.unavailable() < count) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("fewer than " + count + " 503s: " + load.summary());
      }
      Thread.sleep(100);
    }
  }

  private static void sampleRss(long pid, AtomicLong peak) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    while (!Thread.currentThread().isInterrupted()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
            peak.accumulateAndGet(kib * 1024, Math::max);
          }
        }
        Thread.sleep(200);
      } catch (IOException e) {
        return;
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static double percentile(List<Double> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
