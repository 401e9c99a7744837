package io.meridian.ops.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One answer of a Prometheus query API ({@code /api/v1/query} or {@code /query_range}) read into
 * what a comparison needs: the HTTP status, {@code status} and {@code errorType}, and for a success
 * the {@code resultType} with its series. A scalar or string result is one series with no labels
 * and one point; values stay the text Prometheus sends ("NaN", "+Inf", "1.5") so nothing is lost
 * before comparing.
 */
public record QueryResult(
    int httpStatus,
    String status,
    String errorType,
    String error,
    String resultType,
    List<Series> series) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public QueryResult {
    series = List.copyOf(series);
  }

  /** A series of the result: its labels and its points in the order the server sent them. */
  public record Series(SortedMap<String, String> metric, List<Point> points) {

    public Series {
      metric = Collections.unmodifiableSortedMap(new TreeMap<>(metric));
      points = List.copyOf(points);
    }

    /** The labels in PromQL form, e.g. {@code {job="api", le="+Inf"}}. */
    public String labels() {
      return metric.entrySet().stream()
          .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
          .collect(Collectors.joining(", ", "{", "}"));
    }
  }

  /** A point: milliseconds since the epoch and the value as sent. */
  public record Point(long timestampMillis, String value) {}

  /** Whether the query succeeded. */
  public boolean succeeded() {
    return "success".equals(status);
  }

  /** Reads an HTTP answer; a body that is not a Prometheus API answer becomes an error result. */
  public static QueryResult parse(int httpStatus, String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      return new QueryResult(httpStatus, "unreadable", "", abbreviate(body), "", List.of());
    }
    if (root == null || !root.isObject() || !root.has("status")) {
      return new QueryResult(httpStatus, "unreadable", "", abbreviate(body), "", List.of());
    }
    String status = root.path("status").asText("");
    if (!"success".equals(status)) {
      return new QueryResult(
          httpStatus,
          status,
          root.path("errorType").asText(""),
          root.path("error").asText(""),
          "",
          List.of());
    }
    JsonNode data = root.path("data");
    String resultType = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    List<Series> series = new ArrayList<>();
    switch (resultType) {
      case "scalar", "string" -> series.add(new Series(new TreeMap<>(), List.of(point(result))));
      case "vector" -> {
        for (JsonNode element : result) {
          series.add(new Series(metric(element), List.of(point(element.path("value")))));
        }
      }
      case "matrix" -> {
        for (JsonNode element : result) {
          List<Point> points = new ArrayList<>();
          for (JsonNode value : element.path("values")) {
            points.add(point(value));
          }
          series.add(new Series(metric(element), points));
        }
      }
      default -> {
        return new QueryResult(
            httpStatus, "unreadable", "", "resultType " + resultType, resultType, List.of());
      }
    }
    return new QueryResult(httpStatus, status, "", "", resultType, series);
  }

  private static SortedMap<String, String> metric(JsonNode element) {
    SortedMap<String, String> metric = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = element.path("metric").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      metric.put(field.getKey(), field.getValue().asText());
    }
    return metric;
  }

  private static Point point(JsonNode pair) {
    // Timestamps are seconds with up to millisecond decimals, e.g. 1700000000.123.
    BigDecimal seconds = pair.path(0).decimalValue();
    long millis = seconds.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    return new Point(millis, pair.path(1).asText());
  }

  private static String abbreviate(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "…";
  }
}
