package io.meridian.node.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds instant vectors from Prometheus test-file notation ({@code name{a="b"} 1}) and compares
 * results as Prometheus' {@code promql/test.go} does: by label set, values equal within 1e-6
 * relative (NaN equals NaN).
 */
final class Vectors {

  static final long T = 3_000_000L;

  private static final Pattern SERIES =
      Pattern.compile("\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*(\\{(.*)})?\\s*");
  private static final Pattern LABEL =
      Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

  private Vectors() {}

  /** {@code name{a="b", c="d"}}, {@code {a="b"}} or {@code name}. */
  static Labels labels(String series) {
    Matcher m = SERIES.matcher(series);
    if (!m.matches()) {
      throw new IllegalArgumentException(series);
    }
    TreeMap<String, String> labels = new TreeMap<>();
    if (m.group(1) != null) {
      labels.put(Labels.METRIC_NAME, m.group(1));
    }
    if (m.group(3) != null) {
      Matcher label = LABEL.matcher(m.group(3));
      while (label.find()) {
        labels.put(label.group(1), label.group(2).replace("\\\"", "\""));
      }
    }
    return new Labels(labels);
  }

  static Sample sample(String series, double value) {
    return new Sample(labels(series), T, value);
  }

  /** Alternating series and values: {@code vector("a{x=\"1\"}", 1.0, "b", 2.0)}. */
  static InstantVector vector(Object... seriesAndValues) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < seriesAndValues.length; i += 2) {
      samples.add(
          sample((String) seriesAndValues[i], ((Number) seriesAndValues[i + 1]).doubleValue()));
    }
    return new InstantVector(samples);
  }

  /** Asserts the result holds exactly these series with these values, in any order. */
  static void assertVector(Value actual, Object... expected) {
    assertThat(actual).isInstanceOf(InstantVector.class);
    Map<Labels, Double> want = new LinkedHashMap<>();
    for (int i = 0; i < expected.length; i += 2) {
      want.put(labels((String) expected[i]), ((Number) expected[i + 1]).doubleValue());
    }
    Map<Labels, Double> got = new LinkedHashMap<>();
    for (Sample s : ((InstantVector) actual).samples()) {
      assertThat(got.put(s.labels(), s.value())).as("duplicate series %s", s.labels()).isNull();
    }
    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
    want.forEach((labels, value) -> assertValue(got.get(labels), value, labels.toString()));
  }

  /** Asserts the result holds exactly these series with these values, in this order. */
  static void assertOrderedVector(Value actual, Object... expected) {
    assertVector(actual, expected);
    List<Labels> order = new ArrayList<>();
    for (int i = 0; i < expected.length; i += 2) {
      order.add(labels((String) expected[i]));
    }
    assertThat(((InstantVector) actual).samples().stream().map(Sample::labels).toList())
        .containsExactlyElementsOf(order);
  }

  static void assertValue(double actual, double expected, String what) {
    if (Double.isNaN(expected)) {
      assertThat(actual).as(what).isNaN();
    } else if (Double.isInfinite(expected)) {
      assertThat(actual).as(what).isEqualTo(expected);
    } else if (expected == 0) {
      assertThat(actual).as(what).isCloseTo(0.0, within(1e-12));
    } else {
      assertThat(actual).as(what).isCloseTo(expected, within(Math.abs(expected) * 1e-6));
    }
  }
}
