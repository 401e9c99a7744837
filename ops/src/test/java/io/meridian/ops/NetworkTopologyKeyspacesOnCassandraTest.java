package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A node configured as for production replication creates NetworkTopologyStrategy keyspaces. */
@ExtendWith(CassandraExtension.class)
class NetworkTopologyKeyspacesOnCassandraTest {

  private final CassandraServer cassandra = CassandraExtension.server();
  private final String keyspace = "nts_" + UUID.randomUUID().toString().replace("-", "");
  private TestNode node;

  @AfterEach
  void cleanUp() {
    if (node != null) {
      node.close();
    }
    try (CqlSession session = Cql.connect(cassandra)) {
      Cql.dropKeyspaces(session, keyspace);
    }
  }

  @Test
  void autoCreatedKeyspacesUseNetworkTopologyStrategyAndLocalQuorumServesPutAndQuery() {
    node =
        TestNode.start(
            cassandra,
            keyspace,
            """
            meridian.cassandra {
              replication-strategy = NetworkTopologyStrategy
              data-center-replication-factors = ["datacenter1:1"]
              write-consistency = LOCAL_QUORUM
              read-consistency = LOCAL_QUORUM
            }
            """);
    Http http = new Http(node.url());

    var put =
        http.post(
            "/api/put",
            "[{\"metric\":\"nts.cpu\",\"timestamp\":1700000000,\"value\":7.5,"
                + "\"tags\":{\"host\":\"web01\"}}]");
    assertThat(put.status()).as(put.body()).isEqualTo(204);
    var query = http.get("/api/query?start=1699999000&end=1700001000&m=sum:nts.cpu");
    assertThat(query.status()).as(query.body()).isEqualTo(200);
    JsonNode results = query.json();
    assertThat(results).hasSize(1);
    assertThat(results.get(0).get("dps").get("1700000000").asDouble()).isEqualTo(7.5);

    try (CqlSession session = Cql.connect(cassandra)) {
      // Recovery of the entity that took the put read the snapshot store, so both plugins started
      // and created their keyspaces.
      for (String name : new String[] {keyspace, keyspace + "_snapshot"}) {
        Row row =
            session
                .execute(
                    "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", name)
                .one();
        assertThat(row).as(name).isNotNull();
        assertThat(row.getMap("replication", String.class, String.class))
            .as(name)
            .containsExactlyInAnyOrderEntriesOf(
                Map.of(
                    "class", "org.apache.cassandra.locator.NetworkTopologyStrategy",
                    "datacenter1", "1"));
      }
    }
  }
}
