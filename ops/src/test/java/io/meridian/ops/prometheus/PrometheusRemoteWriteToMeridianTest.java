package io.meridian.ops.prometheus;

import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Prometheus scraping itself every second and remote-writing to Meridian's {@code
 * /api/v1/write}: what it scrapes must become queryable through Meridian's PromQL API.
 */
@ExtendWith(CassandraExtension.class)
class PrometheusRemoteWriteToMeridianTest {

  @Test
  void scrapedSamplesBecomeQueryableInMeridian(CassandraServer cassandra) {
    try (TestNode meridian = TestNode.start(cassandra, "promql_remote_write");
        PrometheusServer sender = SelfScrapingPrometheus.start(meridian.url() + "/api/v1/write")) {
      SelfScrapingPrometheus.awaitUpArrives(
          meridian.url() + "/api/v1", sender, Duration.ofSeconds(60));
    }
  }
}
