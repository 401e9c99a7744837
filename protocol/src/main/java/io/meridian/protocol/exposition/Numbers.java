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

  /** OpenMetrics timestamps are float seconds; BigDecimal keeps 1.001 from becoming 1000 ms. */
  static long openMetricsTimestampMs(String token, int line) {
    if (!REAL.matcher(token).matches()) {
      throw new ExpositionException(line, "invalid timestamp \"" + token + "\"");
    }
    try {
      return new BigDecimal(token)
          .movePointRight(3)
          .setScale(0, RoundingMode.HALF_UP)
          .longValueExact();
    } catch (ArithmeticException e) {
      throw new ExpositionException(line, "timestamp \"" + token + "\" out of range");
    }
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
