package io.meridian.http.telnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.LineClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.junit.jupiter.api.Test;

/**
 * A telnet client that writes faster than the store acknowledges is held back by TCP: the node
 * reads no further while a connection's batches await the journal, instead of buffering.
 */
class TelnetBackpressureTest {

  /** Far more than loopback socket buffers and the stream's own buffers can hold (~10 MB). */
  private static final int PAYLOAD_BYTES = 48 * 1024 * 1024;

  @Test
  void aConnectionReadsNoFurtherWhileItsWritesAreUnacknowledged() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (InMemoryNode node =
            InMemoryNode.start(
                "TelnetBackpressureTest",
                "meridian.series.ask-timeout = 60s\n"
                    + "meridian.telnet.batch-size = 100\n"
                    + "meridian.telnet.write-parallelism = 1\n");
        LineClient client = new LineClient(node.hostAndPort())) {
      node.journal().withPolicy(new HoldWrites(release));
      String payload = payload();
      int lines = payload.length() / lineLength();

      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> client.send(payload));

      // While the first batch awaits the journal, the writer cannot get its bytes through.
      assertThatThrownBy(() -> writer.get(3, TimeUnit.SECONDS))
          .isInstanceOf(TimeoutException.class);

      release.countDown();
      node.journal().resetPolicy();
      writer.get(120, TimeUnit.SECONDS);
      // Answers come in line order: this one follows the acknowledgement of every batch.
      client.send("version\n");
      assertThat(client.readLine()).startsWith("meridian ");

      var count =
          InMemoryNode.json(
              node.send(
                  "GET", "/api/query?start=1700000000&end=1800000000&m=sum:0all-count:bp.a", null));
      assertThat(count.get(0).get("dps").elements().next().asInt()).isEqualTo(lines);
    } finally {
      release.countDown();
    }
  }

  private static final String TAG = "x".repeat(900);

  private static int lineLength() {
    return line(0).length();
  }

  /** Fixed-length lines (the timestamp keeps its width), each a new sample of one series. */
  private static String line(int i) {
    return "put bp.a " + (1_700_000_000_000L + i) + " 1 host=" + TAG + "\n";
  }

  private static String payload() {
    StringBuilder sb = new StringBuilder(PAYLOAD_BYTES + lineLength());
    for (int i = 0; sb.length() < PAYLOAD_BYTES; i++) {
      sb.append(line(i));
    }
    assertThat(sb.toString().getBytes(StandardCharsets.UTF_8)).hasSize(sb.length());
    return sb.toString();
  }

  /** Holds every journal write until released, as a store that does not acknowledge. */
  private record HoldWrites(CountDownLatch release) implements ProcessingPolicy<JournalOperation> {
    @Override
    public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ProcessingSuccess.getInstance();
    }
  }
}
