package io.meridian.protocol.promql;

/** Quotes strings and characters as Go's {@code %q} does, so messages read like Prometheus'. */
final class GoQuote {

  private GoQuote() {}

  /** {@code "text"} with Go escapes. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints().forEach(cp -> appendEscaped(out, cp, '"'));
    return out.append('"').toString();
  }

  /** {@code 'c'} with Go escapes, as {@code %q} prints a rune. */
  static String quoteRune(int codePoint) {
    StringBuilder out = new StringBuilder("'");
    appendEscaped(out, codePoint, '\'');
    return out.append('\'').toString();
  }

  /** {@code U+0071 'q'}, as {@code %#U} prints a rune. */
  static String unicode(int codePoint) {
    String hex = String.format("U+%04X", codePoint);
    return Character.isISOControl(codePoint)
        ? hex
        : hex + " '" + Character.toString(codePoint) + "'";
  }

  private static void appendEscaped(StringBuilder out, int cp, char quote) {
    switch (cp) {
      case '\\' -> out.append("\\\\");
      case '\n' -> out.append("\\n");
      case '\t' -> out.append("\\t");
      case '\r' -> out.append("\\r");
      case 0x07 -> out.append("\\a");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      case 0x0b -> out.append("\\v");
      default -> {
        if (cp == quote) {
          out.append('\\').append(quote);
        } else if (cp < 0x20 || cp == 0x7f) {
          out.append(String.format("\\x%02x", cp));
        } else {
          out.appendCodePoint(cp);
        }
      }
    }
  }
}
