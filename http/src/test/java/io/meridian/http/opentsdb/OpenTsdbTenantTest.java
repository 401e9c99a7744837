package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.node.query.QueryService;
import io.meridian.protocol.opentsdb.QueryParser;
import io.meridian.protocol.opentsdb.TsdbQuery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenTSDB API reads and writes the tenant its route resolves: in open mode the default tenant,
 * whose data no other tenant sees.
 */
class OpenTsdbTenantTest {

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node = InMemoryNode.start("OpenTsdbTenantTest", "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void inOpenModePointsPutAreTheDefaultTenantsAndNoOtherTenantSeesThem() throws Exception {
    assertThat(node.send("POST", "/api/put", point("tenant.a", 1700000000, "42")).statusCode())
        .isEqualTo(204);

    var response =
        node.send("GET", "/api/query?start=1699999000&end=1700001000&m=sum:tenant.a", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode dps = json(response).get(0).get("dps");
    assertThat(dps.get("1700000000").asDouble()).isEqualTo(42);

    var stored =
        node.node()
            .series()
            .select("default", "tenant.a", List.of(), false, 1699999000_000L, 1700001000_000L)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(stored.series()).hasSize(1);

    TsdbQuery query =
        QueryParser.fromQueryString(
            Map.of(
                "start", List.of("1699999000"),
                "end", List.of("1700001000"),
                "m", List.of("sum:tenant.a")),
            System.currentTimeMillis());
    assertThatThrownBy(
            () ->
                node.node()
                    .queries()
                    .run("other", query)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(QueryService.NoSuchMetricException.class);
  }
}
