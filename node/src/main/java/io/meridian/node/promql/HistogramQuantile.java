package io.meridian.node.promql;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code histogram_quantile(φ, buckets)} over classic histograms: samples are grouped by all their
 * labels but {@code le} (so different metric names stay apart), samples whose {@code le} does not
 * parse as a Go float are skipped, and each group gives one sample without {@code __name__} and
 * {@code le}.
 */
final class HistogramQuantile {

  private static final String BUCKET_LABEL = "le";

  private HistogramQuantile() {}

  static InstantVector apply(double phi, InstantVector vector, long timestampMs) {
    Map<Labels, List<Quantiles.Bucket>> groups = new LinkedHashMap<>();
    Map<Labels, Labels> outputLabels = new LinkedHashMap<>();
    for (Sample sample : vector.samples()) {
      OptionalDouble upperBound = GoFloats.parse(sample.labels().get(BUCKET_LABEL));
      if (upperBound.isEmpty()) {
        continue;
      }
      Labels signature = sample.labels().without(List.of(BUCKET_LABEL));
      groups
          .computeIfAbsent(signature, s -> new ArrayList<>())
          .add(new Quantiles.Bucket(upperBound.getAsDouble(), sample.value()));
      outputLabels.computeIfAbsent(signature, Labels::withoutMetricName);
    }
    List<Sample> out = new ArrayList<>(groups.size());
    groups.forEach(
        (signature, buckets) ->
            out.add(
                new Sample(
                    outputLabels.get(signature),
                    timestampMs,
                    Quantiles.bucketQuantile(phi, buckets))));
    return new InstantVector(out);
  }
}
