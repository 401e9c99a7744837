package io.meridian.http.opentsdb;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.DataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns validated OpenTSDB data points into the write batch {@code SeriesStore.append} takes: one
 * sample run per series. Shared by every way points arrive ({@code /api/put}, the telnet-style
 * {@code put}), so they are stored alike.
 */
public final class Batches {

  private Batches() {}

  /** Gathers the points into one sample run per series, series and samples in arrival order. */
  public static List<SeriesSamples> toBatch(String tenant, List<DataPoint> points) {
    Map<SeriesKey, List<DataPoint>> bySeries = new LinkedHashMap<>();
    for (DataPoint point : points) {
      bySeries
          .computeIfAbsent(
              new SeriesKey(tenant, point.metric(), point.tags()), k -> new ArrayList<>())
          .add(point);
    }
    List<SeriesSamples> batch = new ArrayList<>(bySeries.size());
    bySeries.forEach(
        (key, seriesPoints) -> {
          long[] timestamps = new long[seriesPoints.size()];
          double[] values = new double[seriesPoints.size()];
          for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = seriesPoints.get(i).timestampMs();
            values[i] = seriesPoints.get(i).value();
          }
          batch.add(new SeriesSamples(key, timestamps, values));
        });
    return batch;
  }
}
