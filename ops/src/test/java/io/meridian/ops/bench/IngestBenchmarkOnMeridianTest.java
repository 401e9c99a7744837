package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import io.meridian.ops.testing.TestNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code bench ingest} against a real node on a real Cassandra reports what the samples take on
 * disk and in the node's memory. The node runs in this JVM (so the "node" measured is the test JVM)
 * and seals one-minute chunk windows a second after they end (the last one written a second after
 * its last write), so that a ten-minute backfill ends up in the chunk table within the test.
 */
@ExtendWith(CassandraExtension.class)
class IngestBenchmarkOnMeridianTest {

  private final String keyspace = "bench_" + UUID.randomUUID().toString().replace("-", "");

  private CqlSession cql;
  private TestNode node;

  @BeforeEach
  void start(CassandraServer cassandra) {
    cql = Cql.connect(cassandra);
    node =
        TestNode.start(
            cassandra,
            keyspace,
            "meridian.series.chunk-span = 1m\n"
                + "meridian.series.seal-delay = 1s\n"
                + "meridian.series.seal-interval = 300ms\n"
                + "meridian.series.seal-idle = 1s\n"
                + "meridian.series.snapshot-every = 20\n"
                + "meridian.series.groups = 8\n");
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (cql != null) {
      Cql.dropKeyspaces(cql, keyspace);
      cql.close();
    }
  }

  @Test
  void reportsBytesOnDiskPerSampleAndMemoryPerSeries(CassandraServer cassandra) {
    StringWriter text = new StringWriter();
    CommandLine command = new CommandLine(new IngestBenchmark());
    command.setOut(new PrintWriter(text, true));
    command.setErr(new PrintWriter(text, true));
    int exit =
        command.execute(
            "--target",
            node.url() + "/api/v1/write",
            "--server-pid",
            "" + ProcessHandle.current().pid(),
            "--cassandra-pid",
            "" + cassandra.pid().orElseThrow(),
            "--keyspace",
            keyspace,
            "--snapshot-keyspace",
            keyspace + "_snapshot",
            "--series",
            "200",
            "--series-per-request",
            "100",
            "--connections",
            "2",
            "--rounds",
            "2",
            "--duration",
            "5m",
            "--backfill",
            "10m",
            "--backfill-series",
            "32",
            "--chunk-span",
            "1m",
            "--seal-delay",
            "1s",
            "--seal-interval",
            "300ms",
            "--seal-idle",
            "1s",
            "--seal-timeout",
            "60s",
            "--verify",
            "--query-url",
            node.url() + "/prometheus/api/v1",
            // Slices of a few rounds: the read-back's slicing against the real range selectors.
            "--verify-samples-per-query",
            "2000");
    String output = text.toString();
    // Kept in the test's report (surefire redirects it to a file): the figures of a real run.
    System.out.println(output);
    assertThat(exit).as(output).isZero();
    // 32 series backfilled over 10 min (40 scrapes each), then 2 scrapes of all 200.
    assertThat(output)
        .contains("1280 samples of 32 series")
        .contains("400 samples acknowledged")
        .contains("acknowledged_samples: 1680")
        .contains("table_bytes{table=" + keyspace + ".series_chunks}: ")
        .contains("table_bytes{table=" + keyspace + ".messages}: ");
    assertThat(figure(output, "disk_bytes_per_sample")).isPositive().isFinite();
    assertThat(figure(output, "chunk_bytes_per_sample")).isPositive().isFinite();
    assertThat(figure(output, "chunk_samples")).isPositive().isLessThanOrEqualTo(1680);
    assertThat(figure(output, "table_bytes\\{table=" + keyspace + "\\.series_chunks}"))
        .isPositive();
    // The "node" is this JVM, which holds much else: its memory may grow or shrink with the
    // load, so only that the figures are there and are numbers.
    assertThat(figure(output, "node_rss_per_series_bytes")).isFinite();
    assertThat(figure(output, "node_live_heap_per_series_bytes")).isFinite();
    // Every acknowledged sample is read back after sealing: from chunks and heads alike.
    assertThat(figure(output, "verify_acknowledged_samples")).isEqualTo(1680);
    assertThat(figure(output, "verify_missing_samples")).isZero();
    assertThat(figure(output, "verify_wrong_samples")).isZero();
    assertThat(figure(output, "verify_unexpected_samples")).isZero();
  }

  @Test
  void verifyReportsValuesThatDifferFromTheReplayedOnes() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new IngestBenchmark());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    // Written with the default seed, replayed with another: the counters and drifting gauges
    // differ, the constant gauges and clocks do not.
    int exit =
        command.execute(
            "--target",
            node.url() + "/api/v1/write",
            "--query-url",
            node.url() + "/prometheus/api/v1",
            "--series",
            "100",
            "--series-per-host",
            "50",
            "--rounds",
            "3",
            "--duration",
            "5m",
            "--verify",
            "--verify-seed",
            "43");
    String output = out + "\n" + err;
    System.out.println(output);
    assertThat(exit).as(output).isEqualTo(1);
    assertThat(figure(output, "verify_acknowledged_samples")).isEqualTo(300);
    assertThat(figure(output, "verify_missing_samples")).isZero();
    assertThat(figure(output, "verify_wrong_samples")).isBetween(1.0, 299.0);
    assertThat(err.toString()).contains("verify: wrong value: ").contains("verify FAILED: ");
  }

  private static double figure(String output, String key) {
    Matcher line = Pattern.compile("(?m)^" + key + ": (\\S+)$").matcher(output);
    assertThat(line.find()).as("line %s: in\n%s", key, output).isTrue();
    return Double.parseDouble(line.group(1));
  }
}
