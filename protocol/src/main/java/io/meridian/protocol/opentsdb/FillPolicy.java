package io.meridian.protocol.opentsdb;

import java.util.Locale;

/**
 * What a downsampler emits for an interval (bucket) that holds no data, as in OpenTSDB 2.2+.
 *
 * <ul>
 *   <li>{@link #NONE}: emit nothing; when series are grouped the missing value is interpolated.
 *   <li>{@link #NAN}: emit NaN; aggregators skip NaN values across series.
 *   <li>{@link #NULL}: like NAN, but the serializer prints {@code null} instead of {@code NaN}.
 *   <li>{@link #ZERO}: emit 0, which takes part in aggregation like any other value.
 * </ul>
 */
public enum FillPolicy {
  NONE("none"),
  NAN("nan"),
  NULL("null"),
  ZERO("zero");

  private final String id;

  FillPolicy(String id) {
    this.id = id;
  }

  /** The name used in a downsampling specifier, e.g. {@code nan} in {@code 1m-avg-nan}. */
  public String id() {
    return id;
  }

  /** Returns the policy whose {@link #id()} is {@code text} (case-insensitive) or null. */
  public static FillPolicy fromId(String text) {
    if (text == null) {
      return null;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (FillPolicy policy : values()) {
      if (policy.id.equals(lower)) {
        return policy;
      }
    }
    return null;
  }
}
