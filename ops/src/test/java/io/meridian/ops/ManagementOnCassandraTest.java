package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pekko Management on a node persisting to the real Cassandra: health checks and cluster HTTP. */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementOnCassandraTest {

  private TestNode node;
  private Http management;

  @BeforeAll
  void startNode(CassandraServer cassandra) {
    node = TestNode.start(cassandra, "it_management");
    management = new Http(node.managementUrl());
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aliveAndReadyOnceUpWithShardingAndCassandra() throws InterruptedException {
    assertThat(management.get("/alive").status()).isEqualTo(200);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    Http.Response ready = management.get("/ready");
    while (ready.status() != 200 && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      ready = management.get("/ready");
    }
    assertThat(ready.status()).as(ready.body()).isEqualTo(200);
  }

  @Test
  void clusterMembersAndShardsAreListed() {
    Http.Response members = management.get("/cluster/members");
    assertThat(members.status()).isEqualTo(200);
    assertThat(members.json().path("members")).hasSize(1);
    assertThat(members.json().path("members").path(0).path("status").asText()).isEqualTo("Up");

    Http api = new Http(node.url());
    assertThat(
            api.post(
                    "/api/put",
                    "{\"metric\":\"m.shards\",\"timestamp\":1700000000,\"value\":1,"
                        + "\"tags\":{\"host\":\"a\"}}")
                .status())
        .isEqualTo(204);
    Http.Response shards = management.get("/cluster/shards/SeriesGroup");
    assertThat(shards.status()).as(shards.body()).isEqualTo(200);
    assertThat(shards.json().path("regions").size()).isPositive();
  }

  @Test
  void logLevelsChangeWhileTheNodeRuns() {
    String logger = "/loglevels/io.meridian.test.levels";
    assertThat(management.get(logger).json().path("level").isNull()).isTrue();

    Http.Response set = management.put(logger + "?level=DEBUG", "");
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().path("level").asText()).isEqualTo("DEBUG");
    assertThat(org.slf4j.LoggerFactory.getLogger("io.meridian.test.levels").isDebugEnabled())
        .isTrue();
    assertThat(
            management
                .get("/loglevels")
                .json()
                .path("loggers")
                .path("io.meridian.test.levels")
                .asText())
        .isEqualTo("DEBUG");

    Http.Response refused = management.put(logger + "?level=LOUD", "");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("error").asText()).contains("LOUD");
    assertThat(management.get(logger).json().path("level").asText()).isEqualTo("DEBUG");

    Http.Response reset = management.delete(logger);
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.json().path("level").isNull()).isTrue();
    assertThat(org.slf4j.LoggerFactory.getLogger("io.meridian.test.levels").isDebugEnabled())
        .isFalse();
  }
}
