package io.meridian.node.promql;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Go's string rendering where PromQL error messages show it ({@code strconv.Quote}, {@code
 * labels.Labels.String()}) and Prometheus' label name rule.
 */
final class GoStrings {

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private GoStrings() {}

  /** {@code model.LabelName.IsValid()} / {@code model.LabelNameRE}. */
  static boolean isValidLabelName(String name) {
    return LABEL_NAME.matcher(name).matches();
  }

  /** {@code strconv.Quote}: double-quoted with Go escapes for quotes and control characters. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\u0007' -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\u000b' -> out.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** {@code labels.Labels.String()}: {@code {a="1", b="2"}}. */
  static String labels(Labels labels) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> label : labels.map().entrySet()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(label.getKey()).append('=').append(quote(label.getValue()));
    }
    return out.append('}').toString();
  }
}
