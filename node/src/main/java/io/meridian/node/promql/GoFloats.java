package io.meridian.node.promql;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Go's float formatting and parsing where PromQL results depend on it: {@code count_values} labels
 * ({@code strconv.FormatFloat(v, 'f', -1, 64)}), {@code le} bucket bounds ({@code
 * strconv.ParseFloat}) and values in error messages ({@code %v}).
 */
final class GoFloats {

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern HEX =
      Pattern.compile("[+-]?0[xX]([0-9a-fA-F_]+\\.?[0-9a-fA-F_]*|\\.[0-9a-fA-F_]+)[pP][+-]?\\d+");
  private static final Set<String> INFINITIES = Set.of("inf", "+inf", "infinity", "+infinity");
  private static final Set<String> NEGATIVE_INFINITIES = Set.of("-inf", "-infinity");

  private GoFloats() {}

  /**
   * {@code strconv.FormatFloat(v, 'f', -1, 64)}: the shortest round-tripping decimal, no exponent.
   */
  static String formatPlain(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    return shortest(v).stripTrailingZeros().toPlainString();
  }

  /** Go's {@code %v} of a float64 ({@code %g}, shortest): an exponent below 1e-4 or from 1e6. */
  static String formatValue(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    BigDecimal digits = shortest(v).stripTrailingZeros();
    int exponent = digits.precision() - digits.scale() - 1;
    if (exponent >= -4 && exponent < 6) {
      return digits.toPlainString();
    }
    String unscaled = digits.unscaledValue().abs().toString();
    StringBuilder out = new StringBuilder();
    if (v < 0) {
      out.append('-');
    }
    out.append(unscaled.charAt(0));
    if (unscaled.length() > 1) {
      out.append('.').append(unscaled, 1, unscaled.length());
    }
    out.append('e').append(exponent < 0 ? '-' : '+');
    int magnitude = Math.abs(exponent);
    if (magnitude < 10) {
      out.append('0');
    }
    return out.append(magnitude).toString();
  }

  /** {@code strconv.ParseFloat(s, 64)}; empty when Go reports an error (syntax or out of range). */
  static OptionalDouble parse(String s) {
    if (s == null) {
      return OptionalDouble.empty();
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (INFINITIES.contains(lower)) {
      return OptionalDouble.of(Double.POSITIVE_INFINITY);
    }
    if (NEGATIVE_INFINITIES.contains(lower)) {
      return OptionalDouble.of(Double.NEGATIVE_INFINITY);
    }
    if (lower.equals("nan")) {
      return OptionalDouble.of(Double.NaN);
    }
    double value;
    if (DECIMAL.matcher(s).matches()) {
      value = Double.parseDouble(s);
    } else if (HEX.matcher(s).matches()) {
      value = Double.parseDouble(s.replace("_", ""));
    } else {
      return OptionalDouble.empty();
    }
    // Go answers ErrRange for literals beyond the largest float64; Java rounds them to infinity.
    return Double.isInfinite(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  private static String special(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
    }
    return null;
  }

  /** The closest decimal with the fewest digits that parses back to {@code v}, as Go picks it. */
  private static BigDecimal shortest(double v) {
    BigDecimal exact = new BigDecimal(v);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == v) {
        return rounded;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }
}
