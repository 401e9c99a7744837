package io.meridian.ops.prometheus;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link SelfScrapingPrometheus} with Prometheus on both ends: what a Prometheus scrapes
 * from itself reaches another Prometheus' remote-write receiver and can be queried there, the same
 * check {@code PrometheusRemoteWriteToMeridianTest} makes with Meridian as the receiver.
 */
class ScrapingPrometheusRemoteWriteTest {

  @Test
  void scrapedSamplesReachTheReceiver() {
    try (PrometheusServer receiver = PrometheusServer.start();
        PrometheusServer sender = SelfScrapingPrometheus.start(receiver.url() + "/api/v1/write")) {
      SelfScrapingPrometheus.awaitUpArrives(
          receiver.url() + "/api/v1", sender, Duration.ofSeconds(30));
    }
  }
}
