package io.meridian.protocol.exposition;

import java.util.List;

/** A metric family with its metadata; {@code help} and {@code unit} are empty when not exposed. */
public record MetricFamily(
    String name, MetricType type, String help, String unit, List<Sample> samples) {

  public MetricFamily {
    samples = List.copyOf(samples);
  }
}
