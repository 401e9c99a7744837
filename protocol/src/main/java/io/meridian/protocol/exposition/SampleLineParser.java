package io.meridian.protocol.exposition;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses one sample line. Prometheus text allows any run of spaces and tabs between tokens and a
 * trailing comma in label sets; OpenMetrics allows exactly one space and nothing else.
 */
final class SampleLineParser {

  /** OpenMetrics caps the combined exemplar label names and values at 128 characters. */
  private static final int MAX_EXEMPLAR_LABEL_CHARS = 128;

  private final boolean openMetrics;

  SampleLineParser(boolean openMetrics) {
    this.openMetrics = openMetrics;
  }

  SampleLine parse(String text, int line) {
    LineCursor cursor = new LineCursor(text, line, 0);
    if (!openMetrics) {
      cursor.skipBlanks();
    }
    String name = cursor.metricName();
    if (name.isEmpty()) {
      throw cursor.fail("invalid metric name at start of \"" + text + "\"");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    int blanksAfterName = openMetrics ? 0 : cursor.skipBlanks();
    if (cursor.peek('{')) {
      cursor.advance(1);
      labels(cursor, labels);
      separator(cursor, "space before the value");
    } else if (blanksAfterName == 0 || cursor.atEnd()) {
      separator(cursor, "space before the value");
    }
    double value = Numbers.value(cursor.token(), openMetrics, line);
    return openMetrics
        ? openMetricsTail(cursor, name, labels, value)
        : prometheusTail(cursor, name, labels, value);
  }

  private SampleLine prometheusTail(
      LineCursor cursor, String name, Map<String, String> labels, double value) {
    cursor.skipBlanks();
    OptionalLong timestamp = OptionalLong.empty();
    if (!cursor.atEnd()) {
      timestamp = OptionalLong.of(Numbers.prometheusTimestampMs(cursor.token(), cursor.line()));
      cursor.skipBlanks();
      if (!cursor.atEnd()) {
        throw cursor.fail("unexpected text after the timestamp");
      }
    }
    return new SampleLine(name, labels, value, timestamp, Optional.empty(), false);
  }

  private SampleLine openMetricsTail(
      LineCursor cursor, String name, Map<String, String> labels, double value) {
    Optional<BigDecimal> timestamp = Optional.empty();
    boolean exemplar = false;
    if (!cursor.atEnd()) {
      separator(cursor, "single space after the value");
      if (!cursor.startsWith("# ")) {
        timestamp = Optional.of(Numbers.openMetricsTimestamp(cursor.token(), cursor.line()));
        if (!cursor.atEnd()) {
          separator(cursor, "single space after the timestamp");
        }
      }
      if (!cursor.atEnd()) {
        if (!cursor.startsWith("# ")) {
          throw cursor.fail("unexpected text after the sample; exemplars start with \" # \"");
        }
        cursor.advance(2);
        exemplar(cursor);
        exemplar = true;
      }
    }
    OptionalLong timestampMs =
        timestamp.map(t -> OptionalLong.of(Numbers.toMillis(t))).orElse(OptionalLong.empty());
    return new SampleLine(name, labels, value, timestampMs, timestamp, exemplar);
  }

  /** Exemplars are validated for syntax and size, then dropped: Meridian does not store them. */
  private void exemplar(LineCursor cursor) {
    cursor.expect('{', "'{' opening the exemplar labels");
    Map<String, String> labels = new LinkedHashMap<>();
    labels(cursor, labels);
    int chars =
        labels.entrySet().stream()
            .mapToInt(
                e ->
                    e.getKey().codePointCount(0, e.getKey().length())
                        + e.getValue().codePointCount(0, e.getValue().length()))
            .sum();
    if (chars > MAX_EXEMPLAR_LABEL_CHARS) {
      throw cursor.fail("exemplar labels exceed " + MAX_EXEMPLAR_LABEL_CHARS + " characters");
    }
    separator(cursor, "space before the exemplar value");
    Numbers.value(cursor.token(), true, cursor.line());
    if (!cursor.atEnd()) {
      separator(cursor, "single space before the exemplar timestamp");
      Numbers.openMetricsTimestamp(cursor.token(), cursor.line());
      if (!cursor.atEnd()) {
        throw cursor.fail("unexpected text after the exemplar");
      }
    }
  }

  /** Reads the label set after its '{' up to and including the '}'. */
  private void labels(LineCursor cursor, Map<String, String> labels) {
    boolean afterComma = false;
    while (true) {
      blanks(cursor);
      if (cursor.peek('}')) {
        if (openMetrics && afterComma) {
          throw cursor.fail("trailing comma in label set");
        }
        cursor.advance(1);
        return;
      }
      String name = cursor.labelName();
      if (name.isEmpty()) {
        throw cursor.fail("invalid label name in label set");
      }
      // OpenMetrics reserves these; no client library emits them, and in Meridian they would
      // collide with the series' own __name__ and the scraper's internal labels.
      if (openMetrics && name.startsWith("__")) {
        throw cursor.fail("label name " + name + " is reserved (starts with __)");
      }
      blanks(cursor);
      cursor.expect('=', "'=' after label name " + name);
      blanks(cursor);
      String value = cursor.quoted();
      if (labels.putIfAbsent(name, value) != null) {
        throw cursor.fail("duplicate label name " + name);
      }
      blanks(cursor);
      afterComma = cursor.peek(',');
      if (afterComma) {
        cursor.advance(1);
      } else if (!cursor.peek('}')) {
        throw cursor.fail("expected ',' or '}' after label " + name);
      }
    }
  }

  private void blanks(LineCursor cursor) {
    if (!openMetrics) {
      cursor.skipBlanks();
    }
  }

  private void separator(LineCursor cursor, String what) {
    if (openMetrics) {
      cursor.expect(' ', what);
      if (cursor.peek(' ') || cursor.peek('\t') || cursor.atEnd()) {
        throw cursor.fail("expected exactly one " + what);
      }
    } else if (cursor.skipBlanks() == 0 || cursor.atEnd()) {
      throw cursor.fail("expected " + what);
    }
  }
}
