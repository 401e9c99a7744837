package io.meridian.ops.prometheus;

import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.Http;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus as a remote-write sender in real use: a server scraping its own {@code /metrics} every
 * second as job "prometheus" and remote-writing everything it scrapes to a given URL, with a short
 * batch deadline so samples leave within seconds.
 */
final class SelfScrapingPrometheus {

  /** The query whose answer proves scraped samples arrived. */
  static final String UP_QUERY = "up{job=\"prometheus\"}";

  private SelfScrapingPrometheus() {}

  /** Starts a Prometheus that scrapes itself and remote-writes to {@code remoteWriteUrl}. */
  static PrometheusServer start(String remoteWriteUrl) {
    return PrometheusServer.start(
        port ->
            """
            scrape_configs:
              - job_name: prometheus
                scrape_interval: 1s
                scrape_timeout: 1s
                static_configs:
                  - targets: ['127.0.0.1:%d']
            remote_write:
              - url: '%s'
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 1s
            """
                .formatted(port, remoteWriteUrl));
  }

  /**
   * Waits until the query API at {@code api} (e.g. {@code http://127.0.0.1:8080/api/v1}) answers
   * {@link #UP_QUERY} with at least one sample of value 1.
   */
  static void awaitUpArrives(String api, PrometheusServer sender, Duration timeout) {
    AtomicReference<String> last = new AtomicReference<>("nothing yet");
    Await.until(
        UP_QUERY + " to arrive at " + api,
        timeout,
        () -> {
          QueryResult result = query(api);
          last.set(
              result.succeeded()
                  ? result.resultType() + " " + result.series()
                  : result.httpStatus() + " " + result.errorType() + " " + result.error());
          return result.succeeded()
              && result.resultType().equals("vector")
              && result.series().stream().anyMatch(s -> s.points().get(0).value().equals("1"));
        },
        () -> last.get() + "\nsender log:\n" + sender.logTail());
  }

  private static QueryResult query(String api) {
    try {
      Http.Response response =
          new Http(api).get("/query?query=" + URLEncoder.encode(UP_QUERY, StandardCharsets.UTF_8));
      return QueryResult.parse(response.status(), response.body());
    } catch (UncheckedIOException e) {
      return new QueryResult(0, "unreachable", "", e.getMessage(), "", List.of());
    }
  }
}
