package io.meridian.protocol.promql;

/**
 * Builds {@link PromQlParseException}s whose message reads as Prometheus 2.42 prints a parse error:
 * {@code <line>:<column>: parse error: <message>}, with a 1-based line and column.
 */
final class ParseErrors {

  private ParseErrors() {}

  static PromQlParseException at(String query, int position, String message) {
    int pos = Math.max(0, Math.min(position, query.length()));
    int line = 1;
    int lastLineBreak = -1;
    for (int i = 0; i < pos; i++) {
      if (query.charAt(i) == '\n') {
        line++;
        lastLineBreak = i;
      }
    }
    int column = pos - lastLineBreak;
    return new PromQlParseException(line + ":" + column + ": parse error: " + message, position);
  }
}
