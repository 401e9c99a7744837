package io.meridian.protocol.exposition;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects one family's metadata and samples while its lines are read. */
final class FamilyBuilder {

  private final String name;
  private final MetricType defaultType;
  private MetricType type;
  private String help;
  private String unit;
  private final List<Sample> samples = new ArrayList<>();
  private final List<Integer> sampleLines = new ArrayList<>();
  private final List<Optional<BigDecimal>> exactTimestamps = new ArrayList<>();
  private final int firstLine;

  FamilyBuilder(String name, MetricType defaultType, int firstLine) {
    this.name = name;
    this.defaultType = defaultType;
    this.firstLine = firstLine;
  }

  /** The line that started the family, where problems of the family as a whole are reported. */
  int firstLine() {
    return firstLine;
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

  String unit() {
    return unit == null ? "" : unit;
  }

  void add(Sample sample, int line) {
    add(sample, line, Optional.empty());
  }

  void add(Sample sample, int line, Optional<BigDecimal> exactTimestamp) {
    samples.add(sample);
    sampleLines.add(line);
    exactTimestamps.add(exactTimestamp);
  }

  List<Sample> samples() {
    return samples;
  }

  int lineOf(int sampleIndex) {
    return sampleLines.get(sampleIndex);
  }

  Optional<BigDecimal> exactTimestampOf(int sampleIndex) {
    return exactTimestamps.get(sampleIndex);
  }

  MetricFamily build() {
    return new MetricFamily(
        name, type(), help == null ? "" : help, unit == null ? "" : unit, samples);
  }
}
