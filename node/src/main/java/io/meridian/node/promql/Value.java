package io.meridian.node.promql;

import io.meridian.protocol.promql.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A PromQL value: what an expression evaluates to at one instant (scalar, string, instant vector)
 * or over a range (matrix). A {@code query_range} result is a {@link Matrix} with one point per
 * step. Timestamps are milliseconds.
 */
public sealed interface Value {

  ValueType type();

  /** A number at a time. */
  record Scalar(long timestampMs, double value) implements Value {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }
  }

  /** A string at a time (only string literals evaluate to one). */
  record StringValue(long timestampMs, String value) implements Value {
    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /** One element of an instant vector. */
  record Sample(Labels labels, long timestampMs, double value) {
    public Sample {
      Objects.requireNonNull(labels);
    }
  }

  /** A set of samples at one instant, at most one per label set. */
  record InstantVector(List<Sample> samples) implements Value {
    public InstantVector {
      samples = List.copyOf(samples);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /** One series of a range: points sorted by timestamp. */
  record Series(Labels labels, long[] timestampsMs, double[] values) {
    public Series {
      Objects.requireNonNull(labels);
      if (timestampsMs.length != values.length) {
        throw new IllegalArgumentException("timestamps and values differ in length");
      }
    }

    public int size() {
      return timestampsMs.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Series other
          && labels.equals(other.labels)
          && Arrays.equals(timestampsMs, other.timestampsMs)
          && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
      return 31 * labels.hashCode() + Arrays.hashCode(timestampsMs);
    }

    @Override
    public String toString() {
      return labels + " " + timestampsMs.length + " points";
    }
  }

  /** Series over a range, at most one per label set. */
  record Matrix(List<Series> series) implements Value {
    public Matrix {
      series = List.copyOf(series);
    }

    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }
}
