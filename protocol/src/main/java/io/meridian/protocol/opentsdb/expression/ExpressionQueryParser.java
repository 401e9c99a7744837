package io.meridian.protocol.opentsdb.expression;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.protocol.opentsdb.BadQueryException;
import io.meridian.protocol.opentsdb.Downsample;
import io.meridian.protocol.opentsdb.FillPolicy;
import io.meridian.protocol.opentsdb.QueryParser;
import io.meridian.protocol.opentsdb.RateOptions;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.opentsdb.TimeParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates an OpenTSDB 2.3 {@code /api/query/exp} JSON body into an {@link
 * ExpressionQuery}, with the rules (and, where it has them, the messages) of OpenTSDB's {@code
 * Query}, {@code Timespan}, {@code Filter}, {@code Metric}, {@code Expression} and {@code Output}:
 * a time section with a start and an aggregator, at least one metric, ids of letters and digits
 * that are unique among metrics and expressions (filters have their own), and every reference (a
 * metric's filter, an expression's variables, an output) naming something that exists. Nested
 * expressions must not refer to themselves, directly or through others. Unknown fields are ignored,
 * as OpenTSDB does. Every problem is a {@link BadQueryException}.
 */
public final class ExpressionQueryParser {

  private ExpressionQueryParser() {}

  /**
   * Parses {@code body}.
   *
   * @param nowMs the current time for {@code now}, relative times and a missing end
   * @throws BadQueryException if the request is invalid
   */
  public static ExpressionQuery fromJson(JsonNode body, long nowMs) {
    if (body == null || !body.isObject()) {
      throw new BadQueryException("Invalid query: the body must be a JSON object");
    }
    JsonNode time = body.get("time");
    if (time == null || !time.isObject()) {
      throw new BadQueryException("missing time");
    }
    String start = text(time, "start");
    if (start == null || start.isEmpty()) {
      throw new BadQueryException("missing or empty start");
    }
    String timezone = text(time, "timezone");
    if (timezone != null && timezone.isEmpty()) {
      timezone = null;
    }
    TimeParser.zone(timezone);
    long startMs = TimeParser.parse(start, timezone, nowMs);
    String end = text(time, "end");
    long endMs = end == null || end.isEmpty() ? nowMs : TimeParser.parse(end, timezone, nowMs);
    if (endMs <= startMs) {
      throw new BadQueryException(
          "Start time must be less than end time: end time ["
              + endMs
              + "] must be greater than the start time ["
              + startMs
              + "]");
    }
    String aggregator = text(time, "aggregator");
    if (aggregator == null || aggregator.isEmpty()) {
      throw new BadQueryException("Missing or empty aggregator");
    }
    aggregator = validAggregator(aggregator);
    Downsample downsample = null;
    NumericFill downsampleFill = null;
    JsonNode downsampler = time.get("downsampler");
    if (downsampler != null && !downsampler.isNull()) {
      String interval = text(downsampler, "interval");
      String function = text(downsampler, "aggregator");
      if (interval == null || interval.isEmpty()) {
        throw new BadQueryException("Missing or empty downsampler interval");
      }
      if (function == null || function.isEmpty()) {
        throw new BadQueryException("Missing or empty downsampler aggregator");
      }
      downsampleFill = fill(downsampler.get("fillPolicy"));
      // The sub query's downsampler only knows nan/null/zero; a scalar fills its NaN afterwards.
      FillPolicy policy =
          downsampleFill == null
              ? FillPolicy.NONE
              : switch (downsampleFill.policy()) {
                case "null" -> FillPolicy.NULL;
                case "zero" -> FillPolicy.ZERO;
                default -> FillPolicy.NAN;
              };
      Downsample parsed =
          Downsample.parse(interval + "-" + function.toLowerCase(Locale.ROOT), false, timezone);
      downsample =
          new Downsample(
              parsed.intervalMs(),
              parsed.aggregator(),
              policy,
              parsed.calendar(),
              parsed.interval(),
              parsed.timezone());
    }
    boolean rate = time.path("rate").asBoolean(false);

    Map<String, List<TagFilter>> filters = filters(body.get("filters"));

    JsonNode metricNodes = body.get("metrics");
    if (metricNodes == null || !metricNodes.isArray() || metricNodes.isEmpty()) {
      throw new BadQueryException("missing or empty metrics");
    }
    Set<String> variables = new HashSet<>();
    List<ExpressionQuery.Metric> metrics = new ArrayList<>();
    for (JsonNode node : metricNodes) {
      String id = text(node, "id");
      validateId(id);
      if (!variables.add(id)) {
        throw new BadQueryException("duplicated metric id: " + id);
      }
      String metric = text(node, "metric");
      if (metric == null || metric.isEmpty()) {
        throw new BadQueryException("missing or empty metric in metric " + id);
      }
      String filterId = text(node, "filter");
      List<TagFilter> tagFilters = List.of();
      if (filterId != null && !filterId.isEmpty()) {
        tagFilters = filters.get(filterId);
        if (tagFilters == null) {
          throw new BadQueryException(
              String.format("unrecognized filter id %s in metric %s", filterId, id));
        }
      }
      String metricAggregator = text(node, "aggregator");
      metricAggregator =
          metricAggregator == null || metricAggregator.isEmpty()
              ? aggregator
              : validAggregator(metricAggregator);
      NumericFill fill = fill(node.get("fillPolicy"));
      if (fill == null) {
        fill = downsampleFill == null ? NumericFill.ZERO : downsampleFill;
      }
      String offset = text(node, "timeOffset");
      long offsetMs = 0;
      if (offset != null && !offset.isEmpty()) {
        String duration =
            offset.endsWith("-ago") ? offset.substring(0, offset.length() - 4) : offset;
        try {
          offsetMs = TimeParser.parseDuration(duration);
        } catch (BadQueryException e) {
          throw new BadQueryException(
              "Invalid timeOffset '" + offset + "' in metric " + id + ": " + e.getMessage(), e);
        }
      }
      SubQuery query =
          new SubQuery(
              metrics.size(),
              metricAggregator,
              metric,
              tagFilters,
              downsample,
              rate,
              RateOptions.DEFAULT,
              false);
      metrics.add(new ExpressionQuery.Metric(id, query, fill, offsetMs));
    }

    Map<String, ExpressionQuery.Expression> expressions = new LinkedHashMap<>();
    JsonNode expressionNodes = body.get("expressions");
    if (expressionNodes != null && !expressionNodes.isNull()) {
      if (!expressionNodes.isArray()) {
        throw new BadQueryException("Invalid query: expressions must be an array");
      }
      for (JsonNode node : expressionNodes) {
        String id = text(node, "id");
        if (id == null || id.isEmpty()) {
          throw new BadQueryException("missing or empty id");
        }
        validateId(id);
        if (!variables.add(id)) {
          throw new BadQueryException("Duplicated variable or expression id: " + id);
        }
        String expr = text(node, "expr");
        if (expr == null || expr.isEmpty()) {
          throw new BadQueryException("missing or empty expr");
        }
        Expr parsed = ExpressionParser.parse(expr);
        NumericFill fill = fill(node.get("fillPolicy"));
        expressions.put(
            id,
            new ExpressionQuery.Expression(
                id, expr, parsed, join(node.get("join")), fill == null ? NumericFill.NAN : fill));
      }
    }
    for (ExpressionQuery.Expression expression : expressions.values()) {
      for (String variable : expression.parsed().variables()) {
        if (!variables.contains(variable)) {
          throw new BadQueryException(
              "Expression [" + expression.expr() + "] was missing input " + variable);
        }
      }
    }
    checkNoCycles(expressions);

    List<ExpressionQuery.Output> outputs = new ArrayList<>();
    JsonNode outputNodes = body.get("outputs");
    if (outputNodes != null && !outputNodes.isNull() && !outputNodes.isArray()) {
      throw new BadQueryException("Invalid query: outputs must be an array");
    }
    if (outputNodes != null) {
      for (JsonNode node : outputNodes) {
        String id = text(node, "id");
        if (id == null || id.isEmpty()) {
          throw new BadQueryException("missing or empty output id");
        }
        if (!variables.contains(id)) {
          throw new BadQueryException(
              "Output [" + id + "] does not name a metric or an expression");
        }
        String alias = text(node, "alias");
        outputs.add(
            new ExpressionQuery.Output(id, alias == null || alias.isEmpty() ? null : alias));
      }
    }
    if (outputs.isEmpty()) {
      // As OpenTSDB: without outputs, every expression and only the expressions.
      expressions.keySet().forEach(id -> outputs.add(new ExpressionQuery.Output(id, null)));
    }
    if (outputs.isEmpty()) {
      throw new BadQueryException("No expressions or outputs: nothing to compute");
    }
    return new ExpressionQuery(startMs, endMs, metrics, List.copyOf(expressions.values()), outputs);
  }

  /**
   * As OpenTSDB's {@code Query.validateId}: letters and digits only, and not a single digit (a
   * variable that looks like a number could not be told apart from a literal).
   */
  static void validateId(String id) {
    if (id == null || id.isEmpty()) {
      throw new BadQueryException("The ID cannot be null or empty");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        throw new BadQueryException("Invalid id (\"" + id + "\"): illegal character: " + c);
      }
    }
    if (Character.isDigit(id.charAt(0))) {
      // OpenTSDB only rejects a lone digit; any id starting with a digit would parse as a number.
      throw new BadQueryException("Invalid id (\"" + id + "\"): must not start with a digit");
    }
  }

  private static Map<String, List<TagFilter>> filters(JsonNode nodes) {
    Map<String, List<TagFilter>> filters = new HashMap<>();
    if (nodes == null || nodes.isNull()) {
      return filters;
    }
    if (!nodes.isArray()) {
      throw new BadQueryException("Invalid query: filters must be an array");
    }
    for (JsonNode node : nodes) {
      String id = text(node, "id");
      if (id == null || id.isEmpty()) {
        throw new BadQueryException("Missing or empty filter id");
      }
      validateId(id);
      if (filters.containsKey(id)) {
        throw new BadQueryException("duplicated filter id: " + id);
      }
      List<TagFilter> tagFilters = new ArrayList<>();
      JsonNode tags = node.get("tags");
      if (tags != null && !tags.isNull()) {
        if (!tags.isArray()) {
          throw new BadQueryException("Invalid filter " + id + ": tags must be an array");
        }
        for (JsonNode tag : tags) {
          try {
            tagFilters.add(
                TagFilter.of(
                    text(tag, "tagk"),
                    text(tag, "type"),
                    text(tag, "filter"),
                    tag.path("groupBy").asBoolean(false)));
          } catch (BadQueryException e) {
            throw new BadQueryException("Invalid filter " + id + ": " + e.getMessage(), e);
          }
        }
      }
      filters.put(id, List.copyOf(tagFilters));
    }
    return filters;
  }

  private static ExpressionQuery.Join join(JsonNode node) {
    if (node == null || node.isNull()) {
      return ExpressionQuery.Join.DEFAULT;
    }
    String operator = text(node, "operator");
    if (operator == null || operator.isEmpty()) {
      throw new BadQueryException("Missing join operator: use union or intersection");
    }
    boolean union =
        switch (operator.toLowerCase(Locale.ROOT)) {
          case "union" -> true;
          case "intersection" -> false;
          default ->
              throw new BadQueryException(
                  "Invalid join operator '" + operator + "': use union or intersection");
        };
    return new ExpressionQuery.Join(
        union,
        node.path("useQueryTags").asBoolean(false),
        node.path("includeAggTags").asBoolean(true));
  }

  private static NumericFill fill(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new BadQueryException("Invalid fill policy: must be an object with a policy");
    }
    return NumericFill.of(text(node, "policy"), text(node, "value"));
  }

  private static String validAggregator(String aggregator) {
    String lower = aggregator.toLowerCase(Locale.ROOT);
    if (!QueryParser.AGGREGATORS.contains(lower)) {
      throw new BadQueryException("Invalid aggregator: " + aggregator);
    }
    return lower;
  }

  /** Depth-first search for an expression that reaches itself through its variables. */
  private static void checkNoCycles(Map<String, ExpressionQuery.Expression> expressions) {
    Map<String, Integer> state = new HashMap<>();
    for (String id : expressions.keySet()) {
      visit(id, expressions, state, new ArrayList<>());
    }
  }

  private static void visit(
      String id,
      Map<String, ExpressionQuery.Expression> expressions,
      Map<String, Integer> state,
      List<String> path) {
    ExpressionQuery.Expression expression = expressions.get(id);
    if (expression == null || Integer.valueOf(2).equals(state.get(id))) {
      return;
    }
    path.add(id);
    if (Integer.valueOf(1).equals(state.get(id))) {
      throw new BadQueryException(
          "Circular reference in expressions: " + String.join(" -> ", path));
    }
    state.put(id, 1);
    for (String variable : expression.parsed().variables()) {
      visit(variable, expressions, state, path);
    }
    state.put(id, 2);
    path.remove(path.size() - 1);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
