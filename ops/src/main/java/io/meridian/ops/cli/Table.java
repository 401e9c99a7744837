package io.meridian.ops.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people, drawn with box-drawing characters as Apcera's {@code apc} draws its lists:
 *
 * <pre>
 * ╭──────┬────────┬───────╮
 * │ Name │ Status │ Value │
 * ├──────┼────────┼───────┤
 * │ web1 │ ready  │ 1.5   │
 * ╰──────┴────────┴───────╯
 * </pre>
 *
 * Cells are single lines (line breaks become spaces); a null cell prints empty.
 */
final class Table {

  private final List<String> columns;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... columns) {
    this.columns = List.of(columns);
  }

  Table row(Object... cells) {
    if (cells.length != columns.size()) {
      throw new IllegalArgumentException(
          "row of " + cells.length + " cells for " + columns.size() + " columns");
    }
    rows.add(Arrays.stream(cells).map(Table::cell).toList());
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = width(columns.get(i));
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
      }
    }
    out.println(rule('╭', '┬', '╮', widths));
    out.println(line(columns, widths));
    out.println(rule('├', '┼', '┤', widths));
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
    out.println(rule('╰', '┴', '╯', widths));
    out.flush();
  }

  private static String rule(char left, char middle, char right, int[] widths) {
    StringBuilder text = new StringBuilder().append(left);
    for (int i = 0; i < widths.length; i++) {
      text.append("─".repeat(widths[i] + 2)).append(i + 1 < widths.length ? middle : right);
    }
    return text.toString();
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder text = new StringBuilder("│");
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      text.append(' ').append(cell).append(" ".repeat(widths[i] - width(cell))).append(" │");
    }
    return text.toString();
  }

  private static String cell(Object value) {
    return value == null ? "" : value.toString().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  private static int width(String text) {
    return text.codePointCount(0, text.length());
  }
}
