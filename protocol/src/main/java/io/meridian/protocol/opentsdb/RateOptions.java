package io.meridian.protocol.opentsdb;

import io.meridian.protocol.CborSerializable;

/**
 * Options of a rate conversion, as OpenTSDB's {@code RateOptions}: whether the series is a
 * monotonically increasing counter that may roll over or reset, and how to treat that.
 *
 * @param counter whether a decrease is a counter roll-over instead of a negative rate
 * @param counterMax the value at which the counter rolls over (default {@link Long#MAX_VALUE})
 * @param resetValue when positive, a rate computed across a roll-over that exceeds it is treated as
 *     a counter reset and replaced by 0 (default 0: disabled)
 * @param dropResets whether to drop the rate at a counter decrease entirely instead of computing a
 *     roll-over rate ({@code rate{dropcounter}})
 */
public record RateOptions(boolean counter, long counterMax, long resetValue, boolean dropResets)
    implements CborSerializable {

  /** The reset value meaning "never treat a roll-over as a reset". */
  public static final long DEFAULT_RESET_VALUE = 0;

  /** Plain rate: not a counter. */
  public static final RateOptions DEFAULT =
      new RateOptions(false, Long.MAX_VALUE, DEFAULT_RESET_VALUE, false);

  /**
   * Parses the rate part of an {@code m=} sub query: {@code rate} or {@code rate{counter[,<counter
   * max>[,<reset value>]]}}, where {@code dropcounter} may replace {@code counter}.
   *
   * @throws BadQueryException if the specification is malformed
   */
  public static RateOptions parse(String spec) {
    if (spec.length() == 4) {
      return DEFAULT;
    }
    if (spec.length() < 6 || spec.charAt(4) != '{' || !spec.endsWith("}")) {
      throw new BadQueryException("Invalid rate options specification: " + spec);
    }
    String[] parts = spec.substring(5, spec.length() - 1).split(",", -1);
    if (parts.length > 3) {
      throw new BadQueryException(
          "Incorrect number of values in rate options specification, must be "
              + "counter[,counter max value,reset value], recieved: "
              + parts.length
              + " parts");
    }
    boolean counter = parts[0].endsWith("counter");
    boolean dropResets = parts[0].equals("dropcounter");
    long max = Long.MAX_VALUE;
    if (parts.length >= 2 && !parts[1].isEmpty()) {
      try {
        max = Long.parseLong(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new BadQueryException(
            "Max value of counter was not a number, received '" + parts[1] + "'", e);
      }
    }
    long reset = DEFAULT_RESET_VALUE;
    if (parts.length == 3 && !parts[2].isEmpty()) {
      try {
        reset = Long.parseLong(parts[2].trim());
      } catch (NumberFormatException e) {
        throw new BadQueryException(
            "Reset value of counter was not a number, received '" + parts[2] + "'", e);
      }
    }
    return new RateOptions(counter, max, reset, dropResets);
  }

  /** The {@code m=} form, e.g. {@code rate{counter,65535,1000}}; parses back to this value. */
  public String spec() {
    if (!counter) {
      return "rate";
    }
    return "rate{"
        + (dropResets ? "dropcounter" : "counter")
        + ","
        + (counterMax == Long.MAX_VALUE ? "" : Long.toString(counterMax))
        + ","
        + (resetValue == DEFAULT_RESET_VALUE ? "" : Long.toString(resetValue))
        + "}";
  }
}
