package io.meridian.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.WriteLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster of real node processes sharing the test Cassandra, taken through the life operators
 * give it: three nodes serving each other's data, a fourth joining under load, one leaving
 * gracefully under load, one killed with SIGKILL under load. The scenarios run in order on one
 * cluster (each starts from the topology the previous one left), since starting node JVMs is the
 * slow part. Every scenario counts what its load got: only 2xx and retriable 503s with Retry-After
 * are allowed, and every acknowledged point must be readable afterwards.
 *
 * <p>Figures (time to serve all shards again after a kill) go to {@code
 * target/cluster-figures.txt}; docs/benchmarks.md records them. Nothing here asserts on time beyond
 * generous waits for conditions.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLifecycleTest {

  private static final Duration CONVERGENCE = Duration.ofMinutes(2);

  private LocalCluster cluster;

  /** The nodes a load balancer would send requests to: live and not being stopped. */
  private final List<String> inRotation = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startThreeNodes(CassandraServer cassandra) throws Exception {
    Path dir = CassandraExtension.freshDirectory("cluster-lifecycle");
    String contactPoint =
        cassandra.contactPoint().getHostString() + ":" + cassandra.contactPoint().getPort();
    cluster =
        new LocalCluster(
            LocalCluster.Options.onFreePorts(dir, contactPoint, "cluster_lifecycle")
                .withSystemProperties(
                    Map.of(
                        // Fail asks fast so that requests to moving shards become quick 503s.
                        "meridian.series.ask-timeout", "3s",
                        // The test writes OpenTSDB's example timestamps of 2015.
                        "meridian.series.retention.default", "0")));
    cluster.start(3);
    cluster.nodes().forEach(node -> inRotation.add(node.url()));
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void dataWrittenThroughOneNodeIsReadThroughTheOthers() throws InterruptedException {
    List<NodeProcess> nodes = cluster.live();
    Http a = new Http(nodes.get(0).url());
    StringBuilder body = new StringBuilder("[");
    for (int host = 0; host < 200; host++) {
      body.append(host == 0 ? "" : ",")
          .append("{\"metric\":\"cluster.spread\",\"timestamp\":1700000000,\"value\":")
          .append(host)
          .append(",\"tags\":{\"host\":\"h")
          .append(host)
          .append("\"}}");
    }
    String points = body.append(']').toString();
    // The very first writes wait for the journal tables to be created: a 503 then says retry.
    Http.Response put =
        Http.untilAvailable(
            "the first put accepted", Duration.ofSeconds(20), () -> a.post("/api/put", points));
    assertThat(put.status()).as(put.body()).isEqualTo(204);

    for (NodeProcess reader : nodes.subList(1, 3)) {
      Http http = new Http(reader.url());
      Http.Response sum =
          answered(http, "/api/query?start=1699999999&end=1700000001&m=sum:cluster.spread");
      assertThat(sum.status()).as(sum.body()).isEqualTo(200);
      assertThat(sum.json().path(0).path("dps").path("1700000000").asDouble())
          .isEqualTo(199 * 200 / 2.0);
      Http.Response one =
          answered(
              http,
              "/api/query?start=1699999999&end=1700000001&m=sum:cluster.spread%7Bhost=h42%7D");
      assertThat(one.json().path(0).path("dps").path("1700000000").asDouble()).isEqualTo(42);
    }
    // One series of 100,000 points: its group's answer (about 2 MB) exceeds remoting's ordinary
    // frame and travels on the large-message lane to the nodes that do not host the group.
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 100_000; i++) {
      big.append(i == 0 ? "" : ",")
          .append("{\"metric\":\"cluster.big\",\"timestamp\":")
          .append(1_600_000_000L + i)
          .append(",\"value\":")
          .append(i)
          .append(",\"tags\":{\"host\":\"big\"}}");
    }
    assertThat(a.post("/api/put", big.append(']').toString()).status()).isEqualTo(204);
    for (NodeProcess reader : nodes) {
      Http.Response all =
          answered(
              new Http(reader.url()),
              "/api/query?start=1599999999&end=1600100000&m=sum:cluster.big");
      assertThat(all.status()).as(all.body()).isEqualTo(200);
      assertThat(all.json().path(0).path("dps").size()).isEqualTo(100_000);
    }

    Http.Response members = new Http(nodes.get(1).managementUrl()).get("/cluster/members");
    assertThat(members.json().path("members")).hasSize(3);
    members
        .json()
        .path("members")
        .forEach(m -> assertThat(m.path("status").asText()).isEqualTo("Up"));
  }

  @Test
  @Order(2)
  void aFourthNodeJoinsUnderLoadAndTakesShards() throws Exception {
    try (WriteLoad load = WriteLoad.start("cluster.scaleup", 4, () -> inRotation)) {
      load.awaitAcknowledged(50, CONVERGENCE);

      NodeProcess fourth = cluster.addNode();
      inRotation.add(fourth.url());
      // Rebalanced: the new node holds its share of the series-group shards (within one round).
      awaitCondition(
          "a fair share of the shards on " + fourth.name(),
          () -> {
            int total = cluster.live().stream().mapToInt(n -> shardsOn(n, "SeriesGroup")).sum();
            return shardsOn(fourth, "SeriesGroup") >= total / 4 - 2;
          });
      // The native cluster API, on any node's API port, shows the four members and their shards.
      JsonNode view = new Http(cluster.live().get(0).url()).get("/v1/cluster/members").json();
      assertThat(view.path("members")).hasSize(4);
      for (JsonNode member : view.path("members")) {
        assertThat(member.path("status").asText()).as(member.toString()).isEqualTo("Up");
        assertThat(member.path("reachable").asBoolean()).as(member.toString()).isTrue();
      }
      assertThat(view.path("unreachable")).isEmpty();
      load.awaitAcknowledged(100, CONVERGENCE);

      load.close();
      assertOnlyRetriableFailures(load);
      assertThat(load.connectionErrors()).isZero();
      assertThat(load.missingAcknowledgedPoints(fourth.url())).isEmpty();
      ClusterFigures.record(
          "scale-up",
          load.summary() + "; shards on the new node: " + shardsOn(fourth, "SeriesGroup"));
    }
  }

  @Test
  @Order(3)
  void aNodeLeavesGracefullyUnderLoad() throws Exception {
    try (WriteLoad load = WriteLoad.start("cluster.scaledown", 4, () -> inRotation)) {
      load.awaitAcknowledged(50, CONVERGENCE);

      NodeProcess leaving = cluster.live().get(1);
      int shardsBefore = shardsOn(leaving, "SeriesGroup");
      // As a load balancer does: out of rotation first, then SIGTERM.
      inRotation.remove(leaving.url());
      load.awaitNoneInFlightTo(leaving.url(), CONVERGENCE);
      leaving.stop();
      assertThat(leaving.awaitExit(CONVERGENCE)).as("the leaving node exits").isTrue();
      NodeProcess survivor = cluster.live().get(0);
      awaitCondition("three members left", () -> members(survivor).size() == 3);
      load.awaitAcknowledged(100, CONVERGENCE);

      load.close();
      assertOnlyRetriableFailures(load);
      assertThat(load.connectionErrors()).isZero();
      assertThat(load.missingAcknowledgedPoints(survivor.url())).isEmpty();
      ClusterFigures.record(
          "scale-down",
          load.summary() + "; the leaving node had " + shardsBefore + " SeriesGroup shards");
    }
  }

  @Test
  @Order(4)
  void survivorsServeAllShardsAgainAfterAKill() throws Exception {
    try (WriteLoad load = WriteLoad.start("cluster.kill", 4, () -> inRotation)) {
      load.awaitAcknowledged(50, CONVERGENCE);

      NodeProcess victim = cluster.live().get(cluster.live().size() - 1);
      NodeProcess survivor = cluster.live().get(0);
      Instant killed = Instant.now();
      victim.kill();
      inRotation.remove(victim.url());
      // Served again once a query that scatters to every series group succeeds.
      Http http = new Http(survivor.url());
      awaitCondition(
          "a query over every series group succeeds",
          () -> http.get("/api/query?start=1699999999&m=sum:cluster.kill").status() == 200);
      Duration recovery = Duration.between(killed, Instant.now());
      awaitCondition("the killed node is removed", () -> members(survivor).size() == 2);
      load.awaitAcknowledged(100, CONVERGENCE);

      load.close();
      assertOnlyRetriableFailures(load);
      assertThat(load.missingAcknowledgedPoints(survivor.url())).isEmpty();
      ClusterFigures.record(
          "kill -9",
          load.summary()
              + "; all shards served again "
              + recovery.toMillis()
              + " ms after the kill ("
              + load.acknowledgedPoints()
              + " acknowledged points, all readable)");
    }
  }

  /**
   * The first answer to {@code path} that is not a 503: the three nodes have just formed and their
   * shards still move (the last node joined a moment ago, and each node's self-monitoring starts
   * writing to project internal), and a read of a moving group is answered 503 with Retry-After
   * after the 3 s ask timeout — which a client retries.
   */
  private static Http.Response answered(Http http, String path) {
    return Http.untilAvailable(
        "an answer other than 503 to " + path, CONVERGENCE, () -> http.get(path));
  }

  private static void assertOnlyRetriableFailures(WriteLoad load) {
    assertThat(load.failures()).as(load.summary()).isEmpty();
    assertThat(load.unavailableWithoutRetryAfter()).as("503s without Retry-After").isZero();
  }

  private static int shardsOn(NodeProcess node, String entityType) {
    Http.Response shards = new Http(node.managementUrl()).get("/cluster/shards/" + entityType);
    return shards.status() == 200 ? shards.json().path("regions").size() : 0;
  }

  private static List<JsonNode> members(NodeProcess node) {
    List<JsonNode> members = new ArrayList<>();
    new Http(node.managementUrl())
        .get("/cluster/members")
        .json()
        .path("members")
        .forEach(members::add);
    return members;
  }

  private static void awaitCondition(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(CONVERGENCE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + CONVERGENCE + ": " + what);
      }
      Thread.sleep(200);
    }
  }
}
