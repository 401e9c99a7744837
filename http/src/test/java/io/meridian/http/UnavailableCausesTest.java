package io.meridian.http;

import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.RemoteWritePayload;
import io.meridian.protocol.exposition.ExpositionParser;
import io.meridian.protocol.exposition.ParseResult;
import io.meridian.protocol.exposition.Sample;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every 503 is counted in {@code meridian_http_unavailable_total} by why it was answered: the node
 * not being an Up member, or the store not acknowledging a write (an OpenTSDB put's partial answer,
 * a remote write's failure). {@link RequestTimeoutCauseTest} counts the server's request timeouts.
 */
class UnavailableCausesTest {

  private static final AtomicReference<MemberStatus> STATUS =
      new AtomicReference<>(MemberStatus.up());

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "UnavailableCausesTest", "meridian.series.ask-timeout = 1s\n", STATUS::get);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void recover() {
    STATUS.set(MemberStatus.up());
    node.journal().resetPolicy();
  }

  @Test
  void aLeavingNodesAnswersAreNotMember() {
    STATUS.set(MemberStatus.leaving());
    assertThat(node.send("GET", "/api/version", null).statusCode()).isEqualTo(503);
    STATUS.set(MemberStatus.up());

    assertThat(unavailable(node, "not-member")).isEqualTo(1);
  }

  @Test
  void writesTheStoreDoesNotAcknowledgeAreStoreUnavailable() {
    node.journal().failNextPersisted();
    assertThat(node.send("POST", "/api/put", point("unacknowledged", 1700000000, "1")))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(503);
    node.journal().failNextPersisted();
    HttpResponse<String> write =
        node.send(
            new RemoteWritePayload()
                .series(new long[] {1}, new double[] {1}, "__name__", "unacknowledged_rw")
                .post(node.uri("/api/v1/write")));
    assertThat(write.statusCode()).as(write.body()).isEqualTo(503);

    assertThat(unavailable(node, "store-unavailable")).isEqualTo(2);
  }

  static double unavailable(InMemoryNode node, String cause) {
    HttpResponse<String> metrics = node.send("GET", "/metrics", null);
    ParseResult parsed = ExpositionParser.parse(metrics.body(), null, 0);
    assertThat(parsed).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) parsed)
        .families().stream()
            .flatMap(family -> family.samples().stream())
            .filter(s -> s.name().equals("meridian_http_unavailable_total"))
            .filter(s -> cause.equals(s.labels().get("cause")))
            .mapToDouble(Sample::value)
            .sum();
  }
}
