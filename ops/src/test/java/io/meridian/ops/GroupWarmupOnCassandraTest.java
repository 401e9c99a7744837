package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.node.series.GroupWarmup;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import io.meridian.protocol.SeriesKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A restarted node wakes (recovers) every series group that has a journal before it reports ready,
 * and then answers the first query over all of them at once.
 */
@ExtendWith(CassandraExtension.class)
class GroupWarmupOnCassandraTest {

  private static final int SERIES = 120;

  @Test
  void aRestartedNodeWakesItsGroupsBeforeItIsReady(CassandraServer cassandra) throws Exception {
    String keyspace = "it_warmup";
    StringBuilder points = new StringBuilder("[");
    Set<Integer> groups = new HashSet<>();
    for (int i = 0; i < SERIES; i++) {
      points
          .append(i == 0 ? "" : ",")
          .append("{\"metric\":\"warm.up\",\"timestamp\":1700000000,\"value\":")
          .append(i)
          .append(",\"tags\":{\"host\":\"h")
          .append(i)
          .append("\"}}");
      groups.add(
          Math.floorMod(
              SeriesKey.of("default", "warm.up", Map.of("host", "h" + i)).hashCode(), 16));
    }
    points.append(']');

    try (TestNode first = TestNode.start(cassandra, keyspace)) {
      // A keyspace without series groups: nothing to wake.
      assertThat(completion(first)).isZero();
      assertThat(new Http(first.url()).post("/api/put", points.toString()).status()).isEqualTo(204);
    }

    try (TestNode restarted = TestNode.start(cassandra, keyspace)) {
      assertThat(completion(restarted)).isEqualTo(groups.size());
      Http management = new Http(restarted.managementUrl());
      Await.until(
          "the restarted node ready",
          Duration.ofSeconds(60),
          () -> management.get("/ready").status() == 200,
          () -> management.get("/ready").body());
      Http.Response count =
          new Http(restarted.url())
              .get(
                  "/prometheus/api/v1/query?query=count(%7B__name__%3D%22warm.up%22%7D)&time=1700000000");
      assertThat(count.status()).as(count.body()).isEqualTo(200);
      assertThat(count.json().path("data").path("result").path(0).path("value").path(1).asText())
          .isEqualTo(Integer.toString(SERIES));
    }

    // With fewer groups than the data was written with, most series would be hidden: the node
    // says so and is never ready.
    int fewer = 8;
    assertThat(groups).anyMatch(g -> g >= fewer);
    try (TestNode misconfigured =
        TestNode.start(cassandra, keyspace, "meridian.series.groups = " + fewer)) {
      completion(misconfigured);
      assertThat(GroupWarmup.problem(misconfigured.system().classicSystem()))
          .hasValueSatisfying(
              problem ->
                  assertThat(problem)
                      .contains("meridian.series.groups = " + fewer)
                      .contains(
                          "at least "
                              + (groups.stream().mapToInt(g -> g).max().orElseThrow() + 1)));
      assertThat(new Http(misconfigured.managementUrl()).get("/ready").status()).isNotEqualTo(200);
    }
  }

  private static int completion(TestNode node) throws Exception {
    return GroupWarmup.completion(node.system().classicSystem()).get(60, TimeUnit.SECONDS);
  }
}
