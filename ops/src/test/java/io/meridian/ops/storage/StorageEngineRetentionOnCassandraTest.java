package io.meridian.ops.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.prometheus.RemoteWriteClient;
import io.meridian.ops.storage.EngineClient.Series;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retention end to end on a real Cassandra and a real node keeping samples for one hour: writes of
 * older samples are refused with a reason while the rest of the request is stored, reads return
 * nothing older than the hour (even of samples stored while they were within it), and sealed chunks
 * go to the chunk table with a TTL of at most the retention, rounded up to the hour.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageEngineRetentionOnCassandraTest {

  private static final long HOUR = 3_600_000L;
  private static final long MINUTE = 60_000L;

  private final String keyspace = "sr_" + UUID.randomUUID().toString().replace("-", "");

  private CqlSession cql;
  private TestNode node;
  private EngineClient client;

  @BeforeAll
  void start() {
    cql = Cql.connect(CassandraExtension.server());
    node =
        TestNode.start(
            CassandraExtension.server(),
            keyspace,
            StorageEngineOnCassandraTest.FAST_SEALING
                + "meridian.series.groups = 4\n"
                + "meridian.series.retention.default = 1h\n");
    client = new EngineClient(node.url());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (cql != null) {
      Cql.dropKeyspaces(cql, keyspace);
      cql.close();
    }
  }

  /** Now, down to the second, minus {@code ms} milliseconds. */
  private static long ago(long ms) {
    return System.currentTimeMillis() / 1000 * 1000 - ms;
  }

  @Test
  void aPutOfAPointOlderThanRetentionIsRefusedAndTheRecentOneStored() {
    Series series = Series.of("retention.put", Map.of("host", "a"));
    long old = ago(2 * HOUR);
    long recent = ago(5 * MINUTE);

    Http.Response put =
        client.putDetails(
            List.of(EngineClient.point(series, old, 1.5), EngineClient.point(series, recent, 2.5)));

    assertThat(put.status()).as(put.body()).isEqualTo(400);
    JsonNode body = put.json();
    assertThat(body.get("success").asInt()).as(put.body()).isEqualTo(1);
    assertThat(body.get("failed").asInt()).as(put.body()).isEqualTo(1);
    assertThat(body.get("errors")).as(put.body()).hasSize(1);
    JsonNode error = body.get("errors").get(0);
    assertThat(error.get("datapoint").get("timestamp").asLong()).isEqualTo(old);
    // Naming the retention as configured, not rounded down to whole days.
    assertThat(error.get("error").asText()).contains("retention").contains("(1h)");
    assertThat(client.tsdbQuery(series, ago(3 * HOUR), ago(-MINUTE)))
        .isEqualTo(Map.of(recent, 2.5));
  }

  @Test
  void aRemoteWriteWithASampleOlderThanRetentionAnswersBadData() {
    Series mixed = Series.of("retention_remote", Map.of("job", "mixed"));
    Series recentOnly = Series.of("retention_remote", Map.of("job", "recent"));
    long old = ago(2 * HOUR);
    long recent = ago(2 * MINUTE);
    Map<Series, SortedMap<Long, Double>> request = new LinkedHashMap<>();
    request.put(mixed, new TreeMap<>(Map.of(old, 1.0, recent, 2.0)));
    request.put(recentOnly, new TreeMap<>(Map.of(recent, 3.0)));

    RemoteWriteClient.Response response = client.remoteWrite(request);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("\"errorType\":\"bad_data\"").contains("retention");
    // The samples within retention are stored, as Prometheus stores the rest of a request.
    long now = ago(-MINUTE);
    assertThat(client.rangeVector(mixed, now, 3 * HOUR)).isEqualTo(Map.of(recent, 2.0));
    assertThat(client.rangeVector(recentOnly, now, 3 * HOUR)).isEqualTo(Map.of(recent, 3.0));
  }

  @Test
  void readsReturnNothingOlderThanRetention() {
    Series series = Series.of("retention.edge", Map.of("host", "a"));
    // Within retention for 30 s more: stored, sealed, then past the hour.
    long edge = ago(HOUR - 30_000);
    long recent = ago(MINUTE);
    Http.Response put =
        client.putDetails(
            List.of(
                EngineClient.point(series, edge, 1.0), EngineClient.point(series, recent, 2.0)));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(client.tsdbQuery(series, ago(2 * HOUR), ago(-MINUTE)))
        .containsEntry(recent, 2.0)
        .containsKey(edge);

    // The chunk table keeps the edge's chunk (its TTL rounds up to the hour), the reads do not.
    Await.until(
        "the sample past retention to leave the reads",
        Duration.ofSeconds(120),
        () -> !client.tsdbQuery(series, ago(2 * HOUR), ago(-MINUTE)).containsKey(edge),
        () -> client.tsdbQuery(series, ago(2 * HOUR), ago(-MINUTE)).toString());
    assertThat(client.tsdbQuery(series, ago(2 * HOUR), ago(-MINUTE)))
        .isEqualTo(Map.of(recent, 2.0));
    assertThat(client.rangeVector(series, ago(-MINUTE), 2 * HOUR)).isEqualTo(Map.of(recent, 2.0));
    // Steps from the edge on: those before the recent sample find nothing, the later ones it.
    assertThat(client.queryRange(series, edge, ago(0), MINUTE).values())
        .isNotEmpty()
        .containsOnly(2.0);

    // Every sealed chunk expires from Cassandra within the retention, rounded up to the hour.
    Await.until(
        "sealed chunks in the chunk table",
        Duration.ofSeconds(60),
        () -> !chunkTtls().isEmpty(),
        () -> "none");
    assertThat(chunkTtls()).allSatisfy(ttl -> assertThat(ttl).isBetween(1, 3600));
  }

  /** The TTLs (seconds left) of the chunk table's rows. */
  private List<Integer> chunkTtls() {
    List<Integer> ttls = new ArrayList<>();
    if (!EngineClient.chunkTableExists(cql, keyspace)) {
      return ttls;
    }
    try {
      for (Row row : cql.execute("SELECT TTL(data) AS ttl FROM " + keyspace + ".series_chunks")) {
        ttls.add(row.getInt("ttl"));
      }
    } catch (InvalidQueryException e) {
      // Listed in the schema tables but not usable yet: the node is creating it right now.
    }
    return ttls;
  }
}
