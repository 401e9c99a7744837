package io.meridian.ops.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the first difference between a reference answer (Prometheus) and a candidate (Meridian) and
 * describes it for a person: differing HTTP status, {@code status} or {@code errorType} (error
 * messages may differ), result type, missing or extra series (by label set), then per series the
 * first differing timestamp or value.
 *
 * <p>Values are equal when both are NaN, when both are the same infinity, or when they differ by at
 * most 1e-6 of the larger magnitude. Below an absolute 1e-9 differences are ignored too: a sum that
 * should be zero comes out as 1e-15 or -1e-15 depending on the order of additions, and a relative
 * bound alone would flag that.
 */
final class ResultDifference {

  static final double RELATIVE_TOLERANCE = 1e-6;
  static final double ABSOLUTE_TOLERANCE = 1e-9;

  private ResultDifference() {}

  /**
   * The first difference, or empty when the answers agree.
   *
   * @param ordered whether the order of series matters ({@code sort}, {@code sort_desc} in an
   *     instant query); otherwise series are matched by label set
   */
  static Optional<String> between(QueryResult reference, QueryResult candidate, boolean ordered) {
    if (reference.httpStatus() != candidate.httpStatus()) {
      return Optional.of(
          "HTTP status "
              + reference.httpStatus()
              + " vs "
              + candidate.httpStatus()
              + describe(reference, candidate));
    }
    if (!reference.status().equals(candidate.status())) {
      return Optional.of(
          "status "
              + reference.status()
              + " vs "
              + candidate.status()
              + describe(reference, candidate));
    }
    if (!reference.succeeded()) {
      return reference.errorType().equals(candidate.errorType())
          ? Optional.empty()
          : Optional.of(
              "errorType "
                  + reference.errorType()
                  + " vs "
                  + candidate.errorType()
                  + describe(reference, candidate));
    }
    if (!reference.resultType().equals(candidate.resultType())) {
      return Optional.of("resultType " + reference.resultType() + " vs " + candidate.resultType());
    }
    Optional<String> duplicate = duplicate("candidate", candidate);
    if (duplicate.isPresent()) {
      return duplicate;
    }
    Map<String, QueryResult.Series> expected = byLabels(reference);
    Map<String, QueryResult.Series> actual = byLabels(candidate);
    List<String> missing = new ArrayList<>(expected.keySet());
    missing.removeAll(actual.keySet());
    List<String> extra = new ArrayList<>(actual.keySet());
    extra.removeAll(expected.keySet());
    if (!missing.isEmpty() || !extra.isEmpty()) {
      return Optional.of(
          "series differ: "
              + reference.series().size()
              + " vs "
              + candidate.series().size()
              + (missing.isEmpty() ? "" : "; missing " + sample(missing))
              + (extra.isEmpty() ? "" : "; unexpected " + sample(extra)));
    }
    if (ordered) {
      List<String> expectedOrder = new ArrayList<>(expected.keySet());
      List<String> actualOrder = new ArrayList<>(actual.keySet());
      if (!expectedOrder.equals(actualOrder)) {
        return Optional.of("order of series: " + expectedOrder + " vs " + actualOrder);
      }
    }
    for (Map.Entry<String, QueryResult.Series> series : expected.entrySet()) {
      Optional<String> difference =
          points(series.getValue().points(), actual.get(series.getKey()).points());
      if (difference.isPresent()) {
        return Optional.of("series " + series.getKey() + ": " + difference.get());
      }
    }
    return Optional.empty();
  }

  /** Whether two values as sent ("1.5", "NaN", "+Inf") are equal within the tolerances. */
  static boolean sameValue(String reference, String candidate) {
    if (reference.equals(candidate)) {
      return true;
    }
    Double a = number(reference);
    Double b = number(candidate);
    if (a == null || b == null) {
      return false;
    }
    if (a.isNaN() || b.isNaN()) {
      return a.isNaN() && b.isNaN();
    }
    if (a.isInfinite() || b.isInfinite()) {
      return a.equals(b);
    }
    double difference = Math.abs(a - b);
    return difference <= ABSOLUTE_TOLERANCE
        || difference <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }

  private static Optional<String> points(
      List<QueryResult.Point> reference, List<QueryResult.Point> candidate) {
    for (int i = 0; i < Math.min(reference.size(), candidate.size()); i++) {
      QueryResult.Point expected = reference.get(i);
      QueryResult.Point actual = candidate.get(i);
      if (expected.timestampMillis() != actual.timestampMillis()) {
        return Optional.of(
            "point "
                + i
                + " at "
                + seconds(expected.timestampMillis())
                + " vs at "
                + seconds(actual.timestampMillis())
                + " ("
                + reference.size()
                + " vs "
                + candidate.size()
                + " points)");
      }
      if (!sameValue(expected.value(), actual.value())) {
        return Optional.of(
            "at "
                + seconds(expected.timestampMillis())
                + " value "
                + expected.value()
                + " vs "
                + actual.value());
      }
    }
    if (reference.size() != candidate.size()) {
      List<QueryResult.Point> longer = reference.size() > candidate.size() ? reference : candidate;
      return Optional.of(
          reference.size()
              + " vs "
              + candidate.size()
              + " points, first unmatched at "
              + seconds(
                  longer.get(Math.min(reference.size(), candidate.size())).timestampMillis()));
    }
    return Optional.empty();
  }

  private static Optional<String> duplicate(String side, QueryResult result) {
    List<String> labels = result.series().stream().map(QueryResult.Series::labels).toList();
    return labels.stream()
        .filter(l -> labels.indexOf(l) != labels.lastIndexOf(l))
        .findFirst()
        .map(l -> side + " has series " + l + " more than once");
  }

  private static Map<String, QueryResult.Series> byLabels(QueryResult result) {
    Map<String, QueryResult.Series> series = new LinkedHashMap<>();
    result.series().forEach(s -> series.put(s.labels(), s));
    return series;
  }

  private static Double number(String value) {
    return switch (value) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(value);
        } catch (NumberFormatException e) {
          yield null;
        }
      }
    };
  }

  private static String describe(QueryResult reference, QueryResult candidate) {
    return " (reference: " + summary(reference) + "; candidate: " + summary(candidate) + ")";
  }

  private static String summary(QueryResult result) {
    return result.succeeded()
        ? result.resultType() + " of " + result.series().size() + " series"
        : result.errorType() + " " + result.error();
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format("%.3f", millis / 1e3);
  }

  private static String sample(List<String> labels) {
    return labels.size() + " such as " + labels.stream().limit(3).collect(Collectors.joining(", "));
  }
}
