package io.meridian.node.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meridian.protocol.promql.AtModifier;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.Function;
import io.meridian.protocol.promql.LabelMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds expressions, runs them on an in-memory source and compares results the way Prometheus'
 * promql test files do (values equal to about 1e-9 relative; NaN equals NaN).
 */
final class Fixtures {

  private static final Pattern MATCHER =
      Pattern.compile(
          "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

  private Fixtures() {}

  /** {@code 5m}, {@code 10s}, {@code 1h}, {@code 1ms} or plain milliseconds. */
  static long ms(String duration) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(duration);
    if (!m.matches()) {
      throw new IllegalArgumentException(duration);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "ms" -> n;
      case "s" -> n * 1000;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 86_400_000;
    };
  }

  /** Labels from {@code name{a="b"}} or {@code {a="b"}}. */
  static Labels labels(String text) {
    TreeMap<String, String> map = new TreeMap<>();
    for (LabelMatcher m : matchers(text)) {
      map.put(m.name(), m.value());
    }
    return Labels.of(map);
  }

  private static List<LabelMatcher> matchers(String text) {
    List<LabelMatcher> matchers = new ArrayList<>();
    int brace = text.indexOf('{');
    String name = (brace < 0 ? text : text.substring(0, brace)).trim();
    if (!name.isEmpty()) {
      matchers.add(LabelMatcher.equal(Labels.METRIC_NAME, name));
    }
    if (brace >= 0) {
      String body = text.substring(brace + 1, text.lastIndexOf('}'));
      for (String part : body.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
        if (part.isBlank()) {
          continue;
        }
        Matcher m = MATCHER.matcher(part);
        if (!m.matches()) {
          throw new IllegalArgumentException(part);
        }
        LabelMatcher.Type type =
            Arrays.stream(LabelMatcher.Type.values())
                .filter(t -> t.operator().equals(m.group(2)))
                .findFirst()
                .orElseThrow();
        matchers.add(LabelMatcher.of(type, m.group(1), m.group(3)));
      }
    }
    return matchers;
  }

  /** A vector selector, {@code name{label op "value",…}}. */
  static Expr.VectorSelector sel(String text) {
    int brace = text.indexOf('{');
    String name = (brace < 0 ? text : text.substring(0, brace)).trim();
    return new Expr.VectorSelector(name.isEmpty() ? null : name, matchers(text), 0, null);
  }

  static Expr.VectorSelector offset(Expr.VectorSelector s, String duration) {
    long offset = duration.startsWith("-") ? -ms(duration.substring(1)) : ms(duration);
    return new Expr.VectorSelector(s.name(), s.matchers(), offset, s.at());
  }

  static Expr.VectorSelector at(Expr.VectorSelector s, AtModifier at) {
    return new Expr.VectorSelector(s.name(), s.matchers(), s.offsetMs(), at);
  }

  static Expr.VectorSelector at(Expr.VectorSelector s, long atMs) {
    return at(s, AtModifier.at(atMs));
  }

  /** {@code selector[range]}. */
  static Expr.MatrixSelector range(Expr.VectorSelector s, String range) {
    return new Expr.MatrixSelector(s, ms(range));
  }

  /** {@code expr[range:step]}; an empty step uses the default. */
  static Expr.Subquery sub(Expr expr, String range, String step) {
    return new Expr.Subquery(expr, ms(range), step.isEmpty() ? 0 : ms(step), 0, null);
  }

  static Expr.Subquery sub(Expr expr, String range, String step, long offsetMs, AtModifier at) {
    return new Expr.Subquery(expr, ms(range), step.isEmpty() ? 0 : ms(step), offsetMs, at);
  }

  static Expr.Call call(Function function, Expr... args) {
    return new Expr.Call(function, List.of(args));
  }

  static Expr.NumberLiteral num(double value) {
    return new Expr.NumberLiteral(value);
  }

  static Expr.Unary minus(Expr expr) {
    return new Expr.Unary(true, expr);
  }

  static PromQlEngine engine(SeriesSource source) {
    return new PromQlEngine(source, EngineSettings.defaults());
  }

  static PromQlEngine engine(SeriesSource source, long maxSamples, Duration timeout) {
    EngineSettings d = EngineSettings.defaults();
    return new PromQlEngine(
        source,
        new EngineSettings(d.lookbackDelta(), maxSamples, timeout, d.defaultSubqueryStep()));
  }

  static Value instant(SeriesSource source, Expr expr, String time) {
    return instant(source, expr, ms(time));
  }

  static Value instant(SeriesSource source, Expr expr, long timeMs) {
    return engine(source).instant("t", expr, timeMs).toCompletableFuture().join();
  }

  static Value.Matrix range(SeriesSource source, Expr expr, String start, String end, String step) {
    return engine(source)
        .range("t", expr, ms(start), ms(end), ms(step))
        .toCompletableFuture()
        .join();
  }

  /** Expected samples: alternating label text and value. */
  static Map<Labels, Double> vector(Object... labelsAndValues) {
    Map<Labels, Double> expected = new LinkedHashMap<>();
    for (int i = 0; i < labelsAndValues.length; i += 2) {
      expected.put(
          labels((String) labelsAndValues[i]), ((Number) labelsAndValues[i + 1]).doubleValue());
    }
    return expected;
  }

  /** Asserts that an instant query's vector holds exactly the expected samples, in any order. */
  static void assertVector(Value value, Map<Labels, Double> expected) {
    assertThat(value).isInstanceOf(Value.InstantVector.class);
    Map<Labels, Double> actual = new LinkedHashMap<>();
    for (Value.Sample sample : ((Value.InstantVector) value).samples()) {
      actual.put(sample.labels(), sample.value());
    }
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((labels, v) -> assertClose(actual.get(labels), v));
  }

  static void assertScalar(Value value, double expected) {
    assertThat(value).isInstanceOf(Value.Scalar.class);
    assertClose(((Value.Scalar) value).value(), expected);
  }

  static void assertClose(double actual, double expected) {
    if (Double.isNaN(expected)) {
      assertThat(Double.isNaN(actual)).as("%s is NaN", actual).isTrue();
    } else if (Double.isInfinite(expected)) {
      assertThat(actual).isEqualTo(expected);
    } else {
      assertThat(actual).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
    }
  }

  /** Asserts one series of a matrix: its labels and points as alternating time text and value. */
  static void assertSeries(Value.Series series, String labels, Object... timesAndValues) {
    assertThat(series.labels()).isEqualTo(labels(labels));
    assertThat(series.size()).isEqualTo(timesAndValues.length / 2);
    for (int i = 0; i < timesAndValues.length; i += 2) {
      assertThat(series.timestampsMs()[i / 2]).isEqualTo(ms((String) timesAndValues[i]));
      assertClose(series.values()[i / 2], ((Number) timesAndValues[i + 1]).doubleValue());
    }
  }
}
