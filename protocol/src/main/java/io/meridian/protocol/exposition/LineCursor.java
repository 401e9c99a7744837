package io.meridian.protocol.exposition;

/** The lexer: reads names, quoted strings and blank-separated tokens from one line. */
final class LineCursor {

  private final String text;
  private final int line;
  private int pos;

  LineCursor(String text, int line, int start) {
    this.text = text;
    this.line = line;
    this.pos = start;
  }

  int line() {
    return line;
  }

  boolean atEnd() {
    return pos >= text.length();
  }

  boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  boolean startsWith(String prefix) {
    return text.startsWith(prefix, pos);
  }

  void advance(int n) {
    pos += n;
  }

  void expect(char c, String what) {
    if (!peek(c)) {
      throw fail("expected " + what + " at column " + (pos + 1));
    }
    pos++;
  }

  /** Skips spaces and tabs, the Prometheus text format's blanks; returns how many. */
  int skipBlanks() {
    int start = pos;
    while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
    return pos - start;
  }

  /** A metric name {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, or empty if none starts here. */
  String metricName() {
    return identifier(true);
  }

  /** A label name {@code [a-zA-Z_][a-zA-Z0-9_]*}, or empty if none starts here. */
  String labelName() {
    return identifier(false);
  }

  private String identifier(boolean colons) {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      if (letter || (colons && c == ':') || (digit && pos > start)) {
        pos++;
      } else {
        break;
      }
    }
    return text.substring(start, pos);
  }

  /** Everything up to the next space or tab (or the end). */
  String token() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
      pos++;
    }
    return text.substring(start, pos);
  }

  String rest() {
    String rest = text.substring(Math.min(pos, text.length()));
    pos = text.length();
    return rest;
  }

  /** A double-quoted label value; escapes other than {@code \\ \" \n} are kept as written. */
  String quoted() {
    expect('"', "'\"' opening a label value");
    StringBuilder value = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char escaped = text.charAt(pos++);
      switch (escaped) {
        case '\\' -> value.append('\\');
        case '"' -> value.append('"');
        case 'n' -> value.append('\n');
        default -> value.append('\\').append(escaped);
      }
    }
    throw fail("unterminated label value");
  }

  ExpositionException fail(String message) {
    return new ExpositionException(line, message);
  }
}
