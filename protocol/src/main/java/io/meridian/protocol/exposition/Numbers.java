package io.meridian.protocol.exposition;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Number syntax of both formats. Double.parseDouble alone is too permissive (it accepts {@code 1d},
 * {@code 0x1p3} and surrounding blanks), so tokens are checked against the grammar first.
 */
final class Numbers {

  private static final Pattern REAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern INFINITY = Pattern.compile("(?i)[+-]?inf(?:inity)?");
  private static final Pattern OM_NAN = Pattern.compile("(?i)nan");
  private static final Pattern PROM_NAN = Pattern.compile("(?i)[+-]?nan");
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

  private Numbers() {}

  static double value(String token, boolean openMetrics, int line) {
    if (REAL.matcher(token).matches()) {
      return Double.parseDouble(token);
    }
    if (INFINITY.matcher(token).matches()) {
      return token.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if ((openMetrics ? OM_NAN : PROM_NAN).matcher(token).matches()) {
      return Double.NaN;
    }
    throw new ExpositionException(line, "invalid value \"" + token + "\"");
  }

  /**
   * An OpenMetrics timestamp exactly as written, in float seconds. Kept exact so that ordering and
   * duplicate checks see what the target sent, not what survives rounding to milliseconds.
   */
  static BigDecimal openMetricsTimestamp(String token, int line) {
    if (!REAL.matcher(token).matches()) {
      throw new ExpositionException(line, "invalid timestamp \"" + token + "\"");
    }
    return new BigDecimal(token);
  }

  /**
   * Seconds to milliseconds; BigDecimal keeps 1.001 from becoming 1000 ms. The grammar allows any
   * number of digits, so timestamps beyond the long range saturate rather than fail the scrape.
   */
  static long toMillis(BigDecimal seconds) {
    BigDecimal ms = seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP);
    if (ms.compareTo(LONG_MAX) > 0) {
      return Long.MAX_VALUE;
    }
    if (ms.compareTo(LONG_MIN) < 0) {
      return Long.MIN_VALUE;
    }
    return ms.longValueExact();
  }

  static long prometheusTimestampMs(String token, int line) {
    if (INTEGER.matcher(token).matches()) {
      try {
        return Long.parseLong(token);
      } catch (NumberFormatException e) {
        throw new ExpositionException(line, "timestamp \"" + token + "\" out of range");
      }
    }
    throw new ExpositionException(line, "invalid timestamp \"" + token + "\"");
  }
}
