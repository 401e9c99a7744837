package io.meridian.ops.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Checks the remote-write client against the real Prometheus and the findings documented on {@link
 * PrometheusServer}: hours of history are accepted in time order without configuration; out of
 * order, only with {@code out_of_order_time_window}.
 */
class PrometheusRemoteWriteOrderTest {

  private final GeneratedData data = GeneratedData.endingNow();

  @Test
  void acceptsHoursOfHistoryInTimeOrder() {
    try (PrometheusServer prometheus = PrometheusServer.start()) {
      RemoteWriteClient client = new RemoteWriteClient(prometheus.url());
      for (List<TimeSeries> batch : data.batches()) {
        assertThat(client.write("/api/v1/write", batch).status()).isEqualTo(204);
      }
      DataLoading.awaitQueryable(data, prometheus.url() + "/api/v1", Duration.ofSeconds(30));
    }
  }

  @Test
  void rejectsOlderSamplesWithoutOutOfOrderWindow() {
    List<List<TimeSeries>> batches = data.batches();
    List<TimeSeries> newest = batches.get(batches.size() - 1);
    List<TimeSeries> halfAnHourOlder = batches.get(batches.size() - 4);
    List<TimeSeries> twoHoursOlder = batches.get(1);
    try (PrometheusServer prometheus = PrometheusServer.start()) {
      RemoteWriteClient client = new RemoteWriteClient(prometheus.url());
      assertThat(client.write("/api/v1/write", newest).status()).isEqualTo(204);
      // A series cannot go back in time.
      RemoteWriteClient.Response older = client.write("/api/v1/write", halfAnHourOlder);
      assertThat(older.status()).isEqualTo(400);
      assertThat(older.body()).contains("out of order sample");
      // A new series can start up to an hour before the newest sample of the head, not earlier.
      assertThat(client.write("/api/v1/write", renamed(halfAnHourOlder)).status()).isEqualTo(204);
      RemoteWriteClient.Response tooOld = client.write("/api/v1/write", renamed(twoHoursOlder));
      assertThat(tooOld.status()).isEqualTo(400);
      assertThat(tooOld.body()).contains("out of bounds");
    }
  }

  @Test
  void acceptsAnyOrderWithOutOfOrderWindow() {
    List<List<TimeSeries>> newestFirst = new ArrayList<>(data.batches());
    Collections.reverse(newestFirst);
    try (PrometheusServer prometheus =
        PrometheusServer.start("storage:\n  tsdb:\n    out_of_order_time_window: 1d\n")) {
      RemoteWriteClient client = new RemoteWriteClient(prometheus.url());
      for (List<TimeSeries> batch : newestFirst) {
        assertThat(client.write("/api/v1/write", batch).status()).isEqualTo(204);
      }
      DataLoading.awaitQueryable(data, prometheus.url() + "/api/v1", Duration.ofSeconds(30));
    }
  }

  /** The same samples under new series: {@code renamed="yes"} is added to every label set. */
  private static List<TimeSeries> renamed(List<TimeSeries> batch) {
    return batch.stream()
        .map(
            series -> {
              SortedMap<String, String> labels = new TreeMap<>(series.labels());
              labels.put("renamed", "yes");
              return new TimeSeries(labels, series.samples());
            })
        .toList();
  }
}
