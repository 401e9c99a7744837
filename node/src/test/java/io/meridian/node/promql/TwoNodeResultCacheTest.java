package io.meridian.node.promql;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.node.MeridianNode;
import io.meridian.node.testing.ClusterTestKits;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.PromQlParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The result cache in a two-node cluster: a late write through either node changes what range
 * queries answer on both, at once on the node that took the write and soon on the other.
 */
class TwoNodeResultCacheTest {

  private static final long MINUTE = 60_000;

  private static ActorTestKit first;
  private static ActorTestKit second;
  private static MeridianNode onFirst;
  private static MeridianNode onSecond;

  @BeforeAll
  static void startCluster() {
    first = ClusterTestKits.seed();
    onFirst = MeridianNode.start(first.system());
    second = ClusterTestKits.joining(first);
    onSecond = MeridianNode.start(second.system());
    ClusterTestKits.awaitUp(first, 2, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopCluster() {
    second.shutdownTestKit();
    first.shutdownTestKit();
  }

  private static void write(MeridianNode node, String tenant, String host, long fromMs, int n)
      throws Exception {
    long[] timestamps = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      timestamps[i] = fromMs + i * MINUTE;
      values[i] = i;
    }
    SeriesSamples samples =
        new SeriesSamples(
            new SeriesKey(tenant, "requests", Map.of("host", host)), timestamps, values);
    node.series().append(tenant, List.of(samples)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Value.Matrix range(
      MeridianNode node, String tenant, Expr expr, long startMs, long endMs, boolean cached)
      throws Exception {
    return node.promql()
        .range(tenant, expr, startMs, endMs, MINUTE, cached)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLateWriteThroughOneNodeShowsInRangeQueriesOnBoth() throws Exception {
    for (MeridianNode writer : List.of(onFirst, onSecond)) {
      String tenant = writer == onFirst ? "cache-a" : "cache-b";
      MeridianNode other = writer == onFirst ? onSecond : onFirst;
      long now = System.currentTimeMillis() / MINUTE * MINUTE;
      long start = now - 3 * 60 * MINUTE;
      long end = now - 30 * MINUTE;
      Expr expr = PromQlParser.parse("count(requests)");
      write(writer, tenant, "one", start, 120);
      Value.Matrix before = range(writer, tenant, expr, start, end, true);
      assertThat(range(other, tenant, expr, start, end, true)).isEqualTo(before);
      assertThat(range(writer, tenant, expr, start, end, true)).isEqualTo(before);
      assertThat(before.series()).hasSize(1);

      // A second series, an hour into the range: late by two hours.
      write(writer, tenant, "two", start + 60 * MINUTE, 60);

      Value.Matrix computed = range(writer, tenant, expr, start, end, false);
      assertThat(computed).isNotEqualTo(before);
      assertThat(range(writer, tenant, expr, start, end, true)).isEqualTo(computed);
      first
          .createTestProbe()
          .awaitAssert(
              Duration.ofSeconds(10),
              () -> {
                assertThat(range(other, tenant, expr, start, end, true)).isEqualTo(computed);
                return null;
              });
    }
  }
}
