package io.meridian.protocol.promql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns number and string tokens into values with Go's rules, as Prometheus does: integers in base
 * 0 ({@code 0x1f} hex, {@code 0755} octal) before floats, and Go string escapes where {@code \xNN}
 * and octal escapes are bytes of the UTF-8 result.
 */
final class Literals {

  private Literals() {}

  /**
   * The value of a number token.
   *
   * @throws IllegalArgumentException with Go's message when it does not parse
   */
  static double number(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    Long integer = integer(lower);
    if (integer != null) {
      return integer;
    }
    String failure = "strconv.ParseFloat: parsing " + GoQuote.quote(text);
    if (lower.startsWith("0x") || !lower.matches("(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
      throw new IllegalArgumentException(failure + ": invalid syntax");
    }
    double value = Double.parseDouble(lower);
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException(failure + ": value out of range");
    }
    return value;
  }

  /** Go's {@code strconv.ParseInt(s, 0, 64)}, or null when that fails. */
  private static Long integer(String s) {
    try {
      if (s.startsWith("0x")) {
        return Long.parseLong(s.substring(2), 16);
      }
      if (s.length() > 1 && s.startsWith("0")) {
        return Long.parseLong(s.substring(1), 8);
      }
      return Long.parseLong(s, 10);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The value of a string token, quotes included; the lexer has already checked its escapes.
   * Backtick strings are raw.
   */
  static String unquote(String token) {
    char quote = token.charAt(0);
    String body = token.substring(1, token.length() - 1);
    if (quote == '`') {
      return body;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length()) {
      int cp = body.codePointAt(i);
      i += Character.charCount(cp);
      if (cp != '\\') {
        appendUtf8(bytes, cp);
        continue;
      }
      char c = body.charAt(i++);
      switch (c) {
        case 'a' -> bytes.write(0x07);
        case 'b' -> bytes.write('\b');
        case 'f' -> bytes.write('\f');
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'v' -> bytes.write(0x0b);
        case 'x' -> {
          bytes.write(Integer.parseInt(body.substring(i, i + 2), 16));
          i += 2;
        }
        case 'u' -> {
          appendUtf8(bytes, Integer.parseInt(body.substring(i, i + 4), 16));
          i += 4;
        }
        case 'U' -> {
          appendUtf8(bytes, Integer.parseInt(body.substring(i, i + 8), 16));
          i += 8;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          bytes.write(Integer.parseInt(body.substring(i - 1, i + 2), 8));
          i += 2;
        }
        default -> bytes.write(c); // \\, \" or \' (the lexer allowed only the enclosing quote)
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void appendUtf8(ByteArrayOutputStream bytes, int codePoint) {
    bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
  }
}
