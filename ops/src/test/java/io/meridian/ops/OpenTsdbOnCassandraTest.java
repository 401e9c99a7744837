package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenTSDB put and query end to end: HTTP, sharded entities and a real Cassandra. */
@ExtendWith(CassandraExtension.class)
class OpenTsdbOnCassandraTest {

  private final CassandraServer cassandra = CassandraExtension.server();
  private final String keyspace = "it_" + UUID.randomUUID().toString().replace("-", "");
  private TestNode node;
  private Http http;

  @BeforeEach
  void startNode() {
    node = TestNode.start(cassandra, keyspace);
    http = new Http(node.url());
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void putThenQueryReturnsThePoint() {
    var put =
        http.post(
            "/api/put",
            "[{\"metric\":\"sys.cpu.user\",\"timestamp\":1700000000,\"value\":42.5,"
                + "\"tags\":{\"host\":\"web01\"}}]");
    assertThat(put.status()).as(put.body()).isEqualTo(204);

    var query = http.get("/api/query?start=1699999000&end=1700001000&m=sum:sys.cpu.user");

    assertThat(query.status()).as(query.body()).isEqualTo(200);
    JsonNode results = query.json();
    assertThat(results).hasSize(1);
    assertThat(results.get(0).get("metric").asText()).isEqualTo("sys.cpu.user");
    assertThat(results.get(0).get("tags").get("host").asText()).isEqualTo("web01");
    assertThat(results.get(0).get("aggregateTags")).isEmpty();
    assertThat(results.get(0).get("dps").get("1700000000").asDouble()).isEqualTo(42.5);
    assertThat(results.get(0).get("dps").size()).isEqualTo(1);
  }

  @Test
  void tenThousandPointsAcrossAThousandSeriesInOneRequest() {
    StringBuilder body = new StringBuilder("[");
    for (int s = 0; s < 1000; s++) {
      for (int t = 0; t < 10; t++) {
        if (body.length() > 1) {
          body.append(',');
        }
        body.append("{\"metric\":\"load.test\",\"timestamp\":")
            .append(1_700_000_000L + t * 10)
            .append(",\"value\":")
            .append(s * 10 + t)
            .append(",\"tags\":{\"host\":\"h")
            .append(s)
            .append("\",\"dc\":\"dc")
            .append(s % 2)
            .append("\"}}");
      }
    }
    var put = http.post("/api/put?summary", body.append(']').toString());
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().get("success").asInt()).isEqualTo(10_000);
    assertThat(put.json().get("failed").asInt()).isZero();

    var sum = http.get("/api/query?start=1700000000&end=1700000100&m=sum:load.test").json();
    assertThat(sum).hasSize(1);
    assertThat(sum.get(0).get("aggregateTags")).hasSize(2);
    JsonNode dps = sum.get(0).get("dps");
    assertThat(dps.size()).isEqualTo(10);
    for (int t = 0; t < 10; t++) {
      // sum over s of (s * 10 + t) = 10 * 499500 + 1000 * t
      assertThat(dps.get(Long.toString(1_700_000_000L + t * 10)).asDouble())
          .isEqualTo(4_995_000.0 + 1000.0 * t);
    }

    var byDc =
        http.post(
                "/api/query",
                "{\"start\":1700000000,\"end\":1700000100,\"queries\":[{\"aggregator\":\"count\","
                    + "\"metric\":\"load.test\",\"tags\":{\"dc\":\"*\"}}]}")
            .json();
    assertThat(byDc).hasSize(2);
    for (JsonNode group : byDc) {
      assertThat(group.get("dps").get("1700000050").asInt()).isEqualTo(500);
    }

    var one =
        http.get("/api/query?start=1700000000&end=1700000100&m=sum:load.test%7Bhost=h7%7D").json();
    assertThat(one).hasSize(1);
    assertThat(one.get(0).get("tags").get("host").asText()).isEqualTo("h7");
    assertThat(one.get(0).get("dps").get("1700000090").asDouble()).isEqualTo(79.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed JSON|[{\"metric\":\"bad.a\",\"timestamp\":1700000000,|Unable to parse the given"
            + " JSON",
        "missing metric|{\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"a\"}}|Metric"
            + " name was empty",
        "non-numeric"
            + " value|{\"metric\":\"bad.c\",\"timestamp\":1700000000,\"value\":\"abc\",\"tags\":{\"host\":\"a\"}}|Unable"
            + " to parse value to a number",
        "no tags|{\"metric\":\"bad.d\",\"timestamp\":1700000000,\"value\":1}|Missing tags",
        "empty tags|{\"metric\":\"bad.e\",\"timestamp\":1700000000,\"value\":1,\"tags\":{}}|Missing"
            + " tags",
        "bad timestamp|{\"metric\":\"bad.f\",\"timestamp\":-5,\"value\":1,\"tags\":{\"host\":\"a\"}}|Invalid"
            + " timestamp",
        "illegal metric character|{\"metric\":\"bad"
            + " g\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"a\"}}|illegal"
            + " character"
      })
  void badInputIsRejectedWithAnOpenTsdbErrorAndNothingIsStored(
      String problem, String body, String named) {
    var put = http.post("/api/put", body);

    assertThat(put.status()).as(put.body()).isEqualTo(400);
    JsonNode error = put.json().get("error");
    assertThat(error.get("code").asInt()).isEqualTo(400);
    assertThat(error.get("message").asText() + " " + error.get("details").asText()).contains(named);

    for (String metric : new String[] {"bad.a", "bad.c", "bad.d", "bad.e", "bad.f"}) {
      var query = http.get("/api/query?start=1699999000&end=1700001000&m=sum:" + metric);
      assertThat(query.status()).as(query.body()).isEqualTo(400);
      assertThat(query.json().get("error").get("message").asText()).contains("No such name");
    }
  }

  @Test
  void detailsNameEachRejectedPointWhileGoodPointsAreStored() {
    var put =
        http.post(
            "/api/put?details",
            "[{\"metric\":\"mixed\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"a\"}},"
                + "{\"metric\":\"mixed\",\"timestamp\":1700000010,\"value\":\"NaN?\",\"tags\":{\"host\":\"a\"}}]");

    assertThat(put.status()).isEqualTo(400);
    assertThat(put.json().get("success").asInt()).isEqualTo(1);
    assertThat(put.json().get("failed").asInt()).isEqualTo(1);
    JsonNode error = put.json().get("errors").get(0);
    assertThat(error.get("error").asText()).isEqualTo("Unable to parse value to a number");
    assertThat(error.get("datapoint").get("timestamp").asLong()).isEqualTo(1700000010L);

    var query = http.get("/api/query?start=1699999000&end=1700001000&m=sum:mixed").json();
    assertThat(query.get(0).get("dps").size()).isEqualTo(1);
  }

  @Test
  void pointsSurviveARestartOfTheNodeAndCassandra() {
    StringBuilder body = new StringBuilder("[");
    for (int t = 0; t < 100; t++) {
      body.append(t == 0 ? "" : ",")
          .append("{\"metric\":\"durable\",\"timestamp\":")
          .append(1_700_000_000_000L + t * 250)
          .append(",\"value\":")
          .append(t * 1.25)
          .append(",\"tags\":{\"host\":\"web0")
          .append(t % 3)
          .append("\"}}");
    }
    assertThat(http.post("/api/put", body.append(']').toString()).status()).isEqualTo(204);
    String query = "/api/query?start=1699999000&end=1700001000&ms&m=none:durable";
    String before = http.get(query).body();
    assertThat(http.get(query).json()).hasSize(3);

    node.close();
    node = null;
    cassandra.stop();
    cassandra.start();
    node = TestNode.start(cassandra, keyspace);
    http = new Http(node.url());

    var after = http.get(query);
    assertThat(after.status()).as(after.body()).isEqualTo(200);
    assertThat(after.json()).isEqualTo(http.get(query).json());
    assertThat(after.body()).isEqualTo(before);
  }
}
