package io.meridian.protocol.opentsdb;

/**
 * OpenTSDB's rule for metric names, tag names and tag values: ASCII letters and digits, {@code - _
 * . /} and Unicode letters.
 */
public final class Names {

  private Names() {}

  /** Throws {@link IllegalArgumentException} naming the first illegal character. */
  public static void validate(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Invalid " + what + ": empty");
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (!isAllowed(c)) {
        throw new IllegalArgumentException(
            "Invalid "
                + what
                + " (\""
                + name
                + "\"): illegal character: "
                + new String(Character.toChars(c)));
      }
      i += Character.charCount(c);
    }
  }

  /** Whether code point {@code c} may appear in an OpenTSDB metric name, tag name or value. */
  public static boolean isAllowed(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '/'
        || Character.isLetter(c);
  }
}
