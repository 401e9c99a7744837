package io.meridian.ops.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.ops.prometheus.RemoteWriteClient;
import io.meridian.ops.storage.EngineClient.Series;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-project series limit end to end on a real Cassandra and a real node allowing 20 series in
 * 4 groups: each group holds at most ceil(20 * 1.1 / 4) = 6, so of 100 new series in one write each
 * group stores its first 6 and refuses the rest with a reason naming the limit; the stored ones
 * read back, take further samples, and other new series stay refused.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageEngineSeriesLimitOnCassandraTest {

  private static final int GROUPS = 4;
  private static final int LIMIT = 20;
  private static final int PER_GROUP = (int) Math.ceil(LIMIT * 1.1 / GROUPS);
  private static final long MINUTE = 60_000L;

  private final String keyspace = "sl_" + UUID.randomUUID().toString().replace("-", "");

  private CqlSession cql;
  private TestNode node;
  private EngineClient client;
  private Http http;

  @BeforeAll
  void start() {
    cql = Cql.connect(CassandraExtension.server());
    node =
        TestNode.start(
            CassandraExtension.server(),
            keyspace,
            StorageEngineOnCassandraTest.FAST_SEALING
                + "meridian.series.groups = "
                + GROUPS
                + "\n"
                + "meridian.series.series-limit.default = "
                + LIMIT
                + "\n");
    client = new EngineClient(node.url());
    http = new Http(node.url());
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

  /** The series group of a series, as the node computes it. */
  private static int groupOf(Series series) {
    return Math.floorMod(series.key().hashCode(), GROUPS);
  }

  @Test
  void newSeriesBeyondTheLimitAreRefusedAndTheStoredOnesKeepWorking() {
    long ts = System.currentTimeMillis() / MINUTE * MINUTE - 5 * MINUTE;
    List<Series> all = new ArrayList<>();
    List<ObjectNode> points = new ArrayList<>();
    int[] perGroup = new int[GROUPS];
    for (int i = 0; i < 100; i++) {
      Series series = Series.of("limit.series", Map.of("host", String.format("h%03d", i)));
      all.add(series);
      points.add(EngineClient.point(series, ts, i + 0.5));
      perGroup[groupOf(series)]++;
    }
    int stored = 0;
    for (int n : perGroup) {
      stored += Math.min(n, PER_GROUP);
    }

    Http.Response put = client.putDetails(points);

    assertThat(put.status()).as(put.body()).isEqualTo(400);
    JsonNode body = put.json();
    assertThat(body.get("success").asInt()).as(put.body()).isEqualTo(stored);
    assertThat(body.get("failed").asInt()).as(put.body()).isEqualTo(100 - stored);
    Set<String> refusedHosts = new TreeSet<>();
    for (JsonNode error : body.get("errors")) {
      assertThat(error.get("error").asText()).contains("series limit");
      refusedHosts.add(error.get("datapoint").get("tags").get("host").asText());
    }
    assertThat(refusedHosts).hasSize(100 - stored);
    Map<String, Double> expected = new TreeMap<>();
    int[] storedPerGroup = new int[GROUPS];
    for (int i = 0; i < 100; i++) {
      String host = all.get(i).tags().get("host");
      if (!refusedHosts.contains(host)) {
        expected.put(host, i + 0.5);
        storedPerGroup[groupOf(all.get(i))]++;
      }
    }
    for (int g = 0; g < GROUPS; g++) {
      assertThat(storedPerGroup[g])
          .as("series stored in group " + g)
          .isEqualTo(Math.min(perGroup[g], PER_GROUP));
    }

    // The stored series read back, and nothing of the refused ones.
    assertThat(valuesAt(ts)).isEqualTo(expected);

    // Stored series take further samples.
    List<ObjectNode> more = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      if (expected.containsKey(all.get(i).tags().get("host"))) {
        more.add(EngineClient.point(all.get(i), ts + MINUTE, -i));
      }
    }
    Http.Response again = client.putDetails(more);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().get("success").asInt()).isEqualTo(stored);
    Map<String, Double> later = new TreeMap<>();
    for (int i = 0; i < 100; i++) {
      if (expected.containsKey(all.get(i).tags().get("host"))) {
        later.put(all.get(i).tags().get("host"), (double) -i);
      }
    }
    assertThat(valuesAt(ts + MINUTE)).isEqualTo(later);

    // A refused series stays refused, by OpenTSDB and by remote write.
    Series refused =
        all.stream()
            .filter(s -> refusedHosts.contains(s.tags().get("host")))
            .findFirst()
            .orElseThrow();
    Http.Response retry = client.putDetails(List.of(EngineClient.point(refused, ts, 1)));
    assertThat(retry.status()).as(retry.body()).isEqualTo(400);
    assertThat(retry.json().get("failed").asInt()).isEqualTo(1);
    assertThat(retry.json().get("errors").get(0).get("error").asText()).contains("series limit");
    // A new series of a group that is full (nearly all are, with 25 series each on average).
    Series remote = null;
    for (int j = 0; remote == null || perGroup[groupOf(remote)] < PER_GROUP; j++) {
      remote = Series.of("limit_remote", Map.of("job", "new" + j));
    }
    RemoteWriteClient.Response response =
        client.remoteWrite(Map.of(remote, new TreeMap<>(Map.of(ts, 1.0))));
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("\"errorType\":\"bad_data\"").contains("series limit");
    assertThat(client.rangeVector(remote, ts + MINUTE, 10 * MINUTE)).isEmpty();
  }

  /** The value at {@code ts} of each {@code limit.series} series, by host. */
  private Map<String, Double> valuesAt(long ts) {
    Http.Response query =
        http.get("/api/query?ms=true&start=" + ts + "&end=" + (ts + 1) + "&m=none:limit.series");
    assertThat(query.status()).as(query.body()).isEqualTo(200);
    Map<String, Double> values = new HashMap<>();
    for (JsonNode result : query.json()) {
      Iterator<Map.Entry<String, JsonNode>> dps = result.get("dps").fields();
      while (dps.hasNext()) {
        Map.Entry<String, JsonNode> dp = dps.next();
        assertThat(Long.parseLong(dp.getKey())).isEqualTo(ts);
        values.put(result.get("tags").get("host").asText(), dp.getValue().asDouble());
      }
    }
    return new TreeMap<>(values);
  }
}
