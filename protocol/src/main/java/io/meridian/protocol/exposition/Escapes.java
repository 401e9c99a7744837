package io.meridian.protocol.exposition;

/**
 * Backslash escapes in HELP text. Unknown escapes stay as written, as the Prometheus and
 * OpenMetrics reference parsers keep them, so a stray backslash never fails a scrape.
 */
final class Escapes {

  private Escapes() {}

  /** Resolves {@code \\} and {@code \n}, and {@code \"} when {@code quotes} is set. */
  static String unescape(String raw, boolean quotes) {
    StringBuilder text = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
      if (c == '\\' && (next == '\\' || next == 'n' || (quotes && next == '"'))) {
        text.append(next == 'n' ? '\n' : next);
        i++;
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }
}
