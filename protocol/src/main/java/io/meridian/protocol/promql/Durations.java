package io.meridian.protocol.promql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses PromQL durations such as {@code 1h30m}, {@code 100ms} or {@code 2w} as Prometheus' {@code
 * model.ParseDuration} does: units in descending order, each at most once, a total that fits Go's
 * nanosecond {@code time.Duration}.
 */
final class Durations {

  private static final Pattern DURATION =
      Pattern.compile(
          "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");

  /** Milliseconds per unit, in the order of the pattern's groups. */
  private static final long[] UNIT_MS = {
    365L * 24 * 3_600_000, 7L * 24 * 3_600_000, 24L * 3_600_000, 3_600_000, 60_000, 1_000, 1
  };

  private static final long NANOS_PER_MS = 1_000_000;

  private Durations() {}

  /**
   * The duration in milliseconds.
   *
   * @throws IllegalArgumentException with Prometheus' message when the text is not a duration
   */
  static long parseMillis(String text) {
    if (text.equals("0")) {
      return 0;
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + GoQuote.quote(text));
    }
    long totalNanos = 0;
    try {
      for (int unit = 0; unit < UNIT_MS.length; unit++) {
        String count = m.group(2 * unit + 2);
        if (count != null) {
          long nanos =
              Math.multiplyExact(
                  Long.parseLong(count), Math.multiplyExact(UNIT_MS[unit], NANOS_PER_MS));
          totalNanos = Math.addExact(totalNanos, nanos);
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration out of range", e);
    }
    return totalNanos / NANOS_PER_MS;
  }

  /** As {@link #parseMillis} but, like PromQL's ranges, offsets and steps, never zero. */
  static long parsePositiveMillis(String text) {
    long ms = parseMillis(text);
    if (ms == 0) {
      throw new IllegalArgumentException("duration must be greater than 0");
    }
    return ms;
  }
}
