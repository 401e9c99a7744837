package io.meridian.node.promql;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Go's float formatting and parsing where PromQL results depend on it: sample values in the API's
 * JSON and {@code count_values} labels ({@code strconv.FormatFloat(v, 'f', -1, 64)}), {@code le}
 * bucket bounds ({@code strconv.ParseFloat}) and values in error messages ({@code %v}).
 *
 * <p>Go writes the shortest decimal that parses back to the same double, the closest one when
 * several are as short. Java 17's {@code Double.toString} is not always the shortest; Jackson's
 * Schubfach ({@link DoubleToDecimal}, as Java 19's {@code Double.toString}) is, except that it
 * writes two digits where one would do: the closest two-digit decimal, which differs from the
 * one-digit one only for subnormal doubles (searched for in full there).
 */
public final class GoFloats {

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
  public static String formatPlain(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    if (Math.abs(v) < Double.MIN_NORMAL) {
      return shortest(v).stripTrailingZeros().toPlainString();
    }
    return plain(DoubleToDecimal.toString(v));
  }

  /**
   * Java's form of a decimal ({@code -1.25E-7}, {@code 0.001}, {@code 123.0}) in plain notation
   * without trailing zeros ({@code -0.000000125}, {@code 0.001}, {@code 123}).
   */
  static String plain(String java) {
    int e = java.indexOf('E');
    if (e < 0) {
      return java.endsWith(".0") ? java.substring(0, java.length() - 2) : java;
    }
    boolean negative = java.charAt(0) == '-';
    StringBuilder digits = new StringBuilder(24);
    for (int i = negative ? 1 : 0; i < e; i++) {
      if (java.charAt(i) != '.') {
        digits.append(java.charAt(i));
      }
    }
    int length = digits.length();
    while (length > 1 && digits.charAt(length - 1) == '0') {
      length--;
    }
    digits.setLength(length);
    // The first digit is the units digit at the exponent: the point goes after exponent + 1 digits.
    int point = Integer.parseInt(java, e + 1, java.length(), 10) + 1;
    StringBuilder out = new StringBuilder(length + Math.abs(point) + 3);
    if (negative) {
      out.append('-');
    }
    if (point <= 0) {
      out.append("0.").append("0".repeat(-point)).append(digits);
    } else if (point >= length) {
      out.append(digits).append("0".repeat(point - length));
    } else {
      out.append(digits, 0, point).append('.').append(digits, point, length);
    }
    return out.toString();
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
    if (Math.abs(v) >= Double.MIN_NORMAL) {
      return new BigDecimal(DoubleToDecimal.toString(v));
    }
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
