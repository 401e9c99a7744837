package io.meridian.protocol.exposition;

import java.util.ArrayList;
import java.util.List;

/** Collects one family's metadata and samples while its lines are read. */
final class FamilyBuilder {

  private final String name;
  private final MetricType defaultType;
  private MetricType type;
  private String help;
  private String unit;
  private final List<Sample> samples = new ArrayList<>();
  private final List<Integer> sampleLines = new ArrayList<>();

  FamilyBuilder(String name, MetricType defaultType) {
    this.name = name;
    this.defaultType = defaultType;
  }

  String name() {
    return name;
  }

  MetricType type() {
    return type == null ? defaultType : type;
  }

  boolean hasType() {
    return type != null;
  }

  boolean hasHelp() {
    return help != null;
  }

  boolean hasUnit() {
    return unit != null;
  }

  boolean hasSamples() {
    return !samples.isEmpty();
  }

  void type(MetricType type) {
    this.type = type;
  }

  void help(String help) {
    this.help = help;
  }

  void unit(String unit) {
    this.unit = unit;
  }

  void add(Sample sample, int line) {
    samples.add(sample);
    sampleLines.add(line);
  }

  List<Sample> samples() {
    return samples;
  }

  int lineOf(int sampleIndex) {
    return sampleLines.get(sampleIndex);
  }

  MetricFamily build() {
    return new MetricFamily(
        name, type(), help == null ? "" : help, unit == null ? "" : unit, samples);
  }
}
