package io.meridian.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Samples of one series: parallel arrays of millisecond timestamps and values. Used both for the
 * samples of a write batch and for the samples a read returns (then sorted ascending by timestamp,
 * one value per timestamp). Arrays keep a batch compact on the wire and in the journal.
 */
public record SeriesSamples(SeriesKey key, long[] timestamps, double[] values)
    implements CborSerializable {

  public SeriesSamples {
    Objects.requireNonNull(key, "key");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          "timestamps and values differ in length: " + timestamps.length + " != " + values.length);
    }
  }

  public int size() {
    return timestamps.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesSamples other
        && key.equals(other.key)
        && Arrays.equals(timestamps, other.timestamps)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * key.hashCode() + Arrays.hashCode(timestamps)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return key + " " + timestamps.length + " samples";
  }
}
