package io.meridian.protocol.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses OpenTSDB 2.x {@code /api/query} requests into a {@link TsdbQuery}: the GET query string
 * ({@code start}, {@code end}, one or more {@code m=} sub queries and flags) and the POST JSON
 * body. Validation and error messages follow OpenTSDB's {@code QueryRpc}, {@code TSQuery} and
 * {@code TSSubQuery}; every problem is reported as a {@link BadQueryException}.
 *
 * <p>The {@code m=} grammar is {@code
 * <aggregator>:[rate[{counter[,<max>[,<reset>]]}]:][<downsampler>:][explicit_tags:]<metric>[{<group
 * by tags>}][{<filters>}]}, where the middle parts may come in any order, e.g. {@code
 * sum:rate{counter,,1000}:1m-avg:sys.cpu{host=web*}{dc=literal_or(lga|sjc)}}.
 */
public final class QueryParser {

  /**
   * Names of the aggregation functions the engine implements, usable both to merge series and
   * (except {@code none}) as downsampling functions. This is also what {@code /api/aggregators}
   * lists.
   */
  public static final Set<String> AGGREGATORS =
      Collections.unmodifiableSortedSet(
          new TreeSet<>(
              List.of(
                  "sum",
                  "zimsum",
                  "avg",
                  "min",
                  "max",
                  "mimmin",
                  "mimmax",
                  "count",
                  "dev",
                  "none",
                  "first",
                  "last",
                  "multiply",
                  "p50",
                  "p75",
                  "p90",
                  "p95",
                  "p99",
                  "p999",
                  "ep50r3",
                  "ep75r3",
                  "ep90r3",
                  "ep95r3",
                  "ep99r3",
                  "ep999r3",
                  "ep50r7",
                  "ep75r7",
                  "ep90r7",
                  "ep95r7",
                  "ep99r7",
                  "ep999r7")));

  private QueryParser() {}

  /**
   * Parses a GET {@code /api/query} query string.
   *
   * <p>Recognised parameters: {@code start} (required), {@code end}, {@code m} (repeatable), {@code
   * tsuid} or {@code tsuids} (repeatable, {@code <aggregator>:[<downsampler>:][rate:]<tsuid>[,…]},
   * see {@link #parseTsuidQuery}), {@code tz} or {@code timezone}, and the flags {@code ms}, {@code
   * show_query}, {@code no_annotations}, {@code global_annotations} and {@code show_tsuids}, which
   * count as set when present whatever their value. As in OpenTSDB, TSUID sub queries come before
   * the {@code m} sub queries.
   *
   * @param params decoded query parameters, each name mapped to its values in order
   * @param nowMs the current time for {@code now}, relative times and a missing end
   * @throws BadQueryException if the request is invalid
   */
  public static TsdbQuery fromQueryString(Map<String, List<String>> params, long nowMs) {
    String start = first(params, "start");
    if (start == null || start.isEmpty()) {
      throw new BadQueryException("Missing start time");
    }
    String timezone = first(params, "tz");
    if (timezone == null || timezone.isEmpty()) {
      timezone = first(params, "timezone");
    }
    if (timezone != null && timezone.isEmpty()) {
      timezone = null;
    }
    TimeParser.zone(timezone);

    List<SubQuery> queries = new ArrayList<>();
    for (String name : new String[] {"tsuid", "tsuids"}) {
      for (String q : params.getOrDefault(name, List.of())) {
        queries.add(parseTsuidQuery(q, queries.size(), false, timezone));
      }
    }
    List<String> metricQueries = params.getOrDefault("m", List.of());
    for (String m : metricQueries) {
      queries.add(parseMetricQuery(m, queries.size(), false, timezone));
    }
    if (queries.isEmpty()) {
      throw new BadQueryException("Missing sub queries");
    }

    long[] range = parseRange(start, first(params, "end"), timezone, nowMs);
    return new TsdbQuery(
        range[0],
        range[1],
        queries,
        params.containsKey("ms"),
        params.containsKey("show_query"),
        params.containsKey("no_annotations"),
        params.containsKey("global_annotations"),
        params.containsKey("show_tsuids"),
        timezone,
        false);
  }

  /**
   * Parses a POST {@code /api/query} JSON body: {@code start} (required), {@code end}, {@code
   * timezone}, {@code useCalendar}, {@code msResolution}, {@code showQuery}, {@code noAnnotations},
   * {@code globalAnnotations}, {@code showTSUIDs}, {@code delete} and {@code queries}, each with
   * {@code aggregator}, {@code metric} or {@code tsuids} (which, when not empty, take precedence
   * and make the tags and filters irrelevant), {@code tags}, {@code filters} ({@code type}, {@code
   * tagk}, {@code filter}, {@code groupBy}), {@code downsample}, {@code rate}, {@code rateOptions}
   * ({@code counter}, {@code counterMax}, {@code resetValue}, {@code dropResets}) and {@code
   * explicitTags}. Unknown fields are ignored, as OpenTSDB does.
   *
   * @param body the parsed JSON body
   * @param nowMs the current time for {@code now}, relative times and a missing end
   * @throws BadQueryException if the request is invalid
   */
  public static TsdbQuery fromJson(JsonNode body, long nowMs) {
    if (body == null || body.isMissingNode() || body.isNull()) {
      throw new BadQueryException("Missing request content");
    }
    if (!body.isObject()) {
      throw new BadQueryException("Invalid query: the body must be a JSON object");
    }
    String start = text(body, "start");
    if (start == null || start.isEmpty()) {
      throw new BadQueryException("Missing start time");
    }
    String timezone = text(body, "timezone");
    if (timezone != null && timezone.isEmpty()) {
      timezone = null;
    }
    TimeParser.zone(timezone);
    boolean useCalendar = body.path("useCalendar").asBoolean(false);

    JsonNode queryNodes = body.path("queries");
    if (!queryNodes.isMissingNode() && !queryNodes.isNull() && !queryNodes.isArray()) {
      throw new BadQueryException("Invalid query: queries must be an array");
    }
    List<SubQuery> queries = new ArrayList<>();
    for (JsonNode node : queryNodes) {
      queries.add(parseJsonSubQuery(node, queries.size(), useCalendar, timezone));
    }
    if (queries.isEmpty()) {
      throw new BadQueryException("Missing sub queries");
    }

    long[] range = parseRange(start, text(body, "end"), timezone, nowMs);
    return new TsdbQuery(
        range[0],
        range[1],
        queries,
        body.path("msResolution").asBoolean(false),
        body.path("showQuery").asBoolean(false),
        body.path("noAnnotations").asBoolean(false),
        body.path("globalAnnotations").asBoolean(false),
        body.path("showTSUIDs").asBoolean(false),
        timezone,
        body.path("delete").asBoolean(false));
  }

  /**
   * Parses the value of one {@code m=} parameter.
   *
   * @param m the sub query, e.g. {@code sum:1m-avg:sys.cpu.user{host=*}}
   * @param index the position of the sub query in the request
   * @param useCalendar whether the downsampler aligns on calendar boundaries without the {@code c}
   *     suffix
   * @param timezone the time zone for calendar downsampling, null for UTC
   * @throws BadQueryException if the sub query is invalid
   */
  public static SubQuery parseMetricQuery(
      String m, int index, boolean useCalendar, String timezone) {
    if (m == null || m.isEmpty()) {
      throw new BadQueryException("The query string was empty");
    }
    String[] parts = m.split(":", -1);
    if (parts.length < 2 || parts.length > 5) {
      throw new BadQueryException(
          "Invalid parameter m="
              + m
              + " ("
              + (parts.length < 2 ? "not enough" : "too many")
              + " :-separated parts)");
    }
    String aggregator = validateAggregator(parts[0]);

    List<TagFilter> filters = new ArrayList<>();
    String metric = parseMetricAndFilters(parts[parts.length - 1], filters);
    if (metric.isEmpty()) {
      throw new BadQueryException("Missing the metric or tsuids, provide at least one");
    }

    boolean rate = false;
    RateOptions rateOptions = RateOptions.DEFAULT;
    Downsample downsample = null;
    boolean explicitTags = false;
    for (int i = 1; i < parts.length - 1; i++) {
      String part = parts[i];
      String lower = part.toLowerCase(Locale.ROOT);
      if (part.isEmpty()) {
        throw new BadQueryException("Invalid parameter m=" + m + " (empty :-separated part)");
      } else if (lower.startsWith("rate")) {
        rate = true;
        if (part.indexOf('{') >= 0) {
          rateOptions = RateOptions.parse(part);
        }
      } else if (Character.isDigit(part.charAt(0)) || lower.startsWith("all-")) {
        downsample = Downsample.parse(part, useCalendar, timezone);
      } else if (lower.startsWith("explicit_tags")) {
        explicitTags = true;
      }
      // Like OpenTSDB, other parts (e.g. percentiles[...]) are ignored.
    }
    return new SubQuery(
        index, aggregator, metric, filters, downsample, rate, rateOptions, explicitTags);
  }

  /**
   * Splits {@code metric[{tags}][{filters}]} into the metric name, returned, and its filters,
   * appended to {@code filters}. Tags of the first block become group-by filters (see {@link
   * TagFilter#fromTagValue}); those of the second block do not group. As in OpenTSDB, the second
   * block is read first and a group-by tag identical to one of its filters just marks that filter
   * as group-by.
   *
   * @throws BadQueryException if the text is malformed
   */
  public static String parseMetricAndFilters(String text, List<TagFilter> filters) {
    if (text == null || text.isEmpty()) {
      throw new BadQueryException("Missing the metric or tsuids, provide at least one");
    }
    int curly = text.indexOf('{');
    if (curly < 0) {
      return text;
    }
    int length = text.length();
    if (text.charAt(length - 1) != '}') {
      throw new BadQueryException("Missing '}' at the end of: " + text);
    }
    if (curly == length - 2) {
      return text.substring(0, curly);
    }
    int close = text.indexOf('}');
    if (close != length - 1) {
      int filterBracket = text.lastIndexOf('{');
      if (filterBracket != close + 1) {
        throw new BadQueryException("Invalid metric and tags: " + text);
      }
      for (String filter : text.substring(filterBracket + 1, length - 1).split(",", -1)) {
        if (filter.isEmpty()) {
          break;
        }
        try {
          String[] kv = splitTag(filter);
          filters.add(TagFilter.fromTagValue(kv[0], kv[1], false));
        } catch (BadQueryException e) {
          throw new BadQueryException("When parsing filter '" + filter + "': " + e.getMessage(), e);
        }
      }
    }
    for (String tag : text.substring(curly + 1, close).split(",", -1)) {
      if (tag.isEmpty() && close != length - 1) {
        break;
      }
      try {
        String[] kv = splitTag(tag);
        addGroupBy(filters, TagFilter.fromTagValue(kv[0], kv[1], true));
      } catch (BadQueryException e) {
        throw new BadQueryException("When parsing tag '" + tag + "': " + e.getMessage(), e);
      }
    }
    return text.substring(0, curly);
  }

  private static SubQuery parseJsonSubQuery(
      JsonNode node, int index, boolean useCalendar, String timezone) {
    if (!node.isObject()) {
      throw new BadQueryException("Invalid query: each sub query must be a JSON object");
    }
    String aggregator = validateAggregator(text(node, "aggregator"));
    List<String> tsuids = new ArrayList<>();
    JsonNode tsuidNodes = node.path("tsuids");
    if (!tsuidNodes.isMissingNode() && !tsuidNodes.isNull() && !tsuidNodes.isArray()) {
      throw new BadQueryException("Invalid query: tsuids must be an array");
    }
    for (JsonNode tsuid : tsuidNodes) {
      tsuids.add(tsuid.asText());
    }
    String metric = text(node, "metric");
    if (!tsuids.isEmpty()) {
      metric = null;
    } else if (metric == null || metric.isEmpty()) {
      throw new BadQueryException("Missing the metric or tsuids, provide at least one");
    }

    List<TagFilter> filters = new ArrayList<>();
    JsonNode filterNodes = tsuids.isEmpty() ? node.path("filters") : MissingNode.getInstance();
    if (!filterNodes.isMissingNode() && !filterNodes.isNull() && !filterNodes.isArray()) {
      throw new BadQueryException("Invalid query: filters must be an array");
    }
    for (JsonNode filterNode : filterNodes) {
      filters.add(
          TagFilter.of(
              text(filterNode, "tagk"),
              text(filterNode, "type"),
              text(filterNode, "filter"),
              filterNode.path("groupBy").asBoolean(false)));
    }
    JsonNode tags = node.path("tags");
    if (tags.isObject() && tsuids.isEmpty()) {
      Iterator<Map.Entry<String, JsonNode>> fields = tags.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> tag = fields.next();
        addGroupBy(filters, TagFilter.fromTagValue(tag.getKey(), tag.getValue().asText(), true));
      }
    }

    String downsampleSpec = text(node, "downsample");
    Downsample downsample =
        downsampleSpec == null || downsampleSpec.isEmpty()
            ? null
            : Downsample.parse(downsampleSpec, useCalendar, timezone);

    RateOptions rateOptions = RateOptions.DEFAULT;
    JsonNode rateNode = node.path("rateOptions");
    if (rateNode.isObject()) {
      rateOptions =
          new RateOptions(
              rateNode.path("counter").asBoolean(false),
              longValue(rateNode, "counterMax", Long.MAX_VALUE),
              longValue(rateNode, "resetValue", RateOptions.DEFAULT_RESET_VALUE),
              rateNode.path("dropResets").asBoolean(false));
    }
    return new SubQuery(
        index,
        aggregator,
        metric,
        filters,
        downsample,
        node.path("rate").asBoolean(false),
        rateOptions,
        tsuids.isEmpty() && node.path("explicitTags").asBoolean(false),
        validateTsuids(tsuids));
  }

  /**
   * Parses the value of one {@code tsuid=} parameter: {@code
   * <aggregator>:[<downsampler>:][rate[{…}]:]<tsuid>[,<tsuid>…]}, the middle parts in any order.
   *
   * @param q the sub query, e.g. {@code sum:1m-avg:000001000001000001,000001000001000002}
   * @param index the position of the sub query in the request
   * @param useCalendar whether the downsampler aligns on calendar boundaries without the {@code c}
   *     suffix
   * @param timezone the time zone for calendar downsampling, null for UTC
   * @throws BadQueryException if the sub query is invalid or the TSUIDs differ in metric
   */
  public static SubQuery parseTsuidQuery(
      String q, int index, boolean useCalendar, String timezone) {
    if (q == null || q.isEmpty()) {
      throw new BadQueryException("The tsuid query string was empty");
    }
    String[] parts = q.split(":", -1);
    if (parts.length < 2 || parts.length > 5) {
      throw new BadQueryException(
          "Invalid parameter tsuid="
              + q
              + " ("
              + (parts.length < 2 ? "not enough" : "too many")
              + " :-separated parts)");
    }
    String aggregator = validateAggregator(parts[0]);
    List<String> tsuids = new ArrayList<>();
    for (String tsuid : parts[parts.length - 1].split(",", -1)) {
      if (!tsuid.isEmpty()) {
        tsuids.add(tsuid);
      }
    }
    if (tsuids.isEmpty()) {
      throw new BadQueryException("Missing the metric or tsuids, provide at least one");
    }
    boolean rate = false;
    RateOptions rateOptions = RateOptions.DEFAULT;
    Downsample downsample = null;
    for (int i = 1; i < parts.length - 1; i++) {
      String part = parts[i];
      String lower = part.toLowerCase(Locale.ROOT);
      if (part.isEmpty()) {
        throw new BadQueryException("Invalid parameter tsuid=" + q + " (empty :-separated part)");
      } else if (lower.startsWith("rate")) {
        rate = true;
        if (part.indexOf('{') >= 0) {
          rateOptions = RateOptions.parse(part);
        }
      } else if (Character.isDigit(part.charAt(0)) || lower.startsWith("all-")) {
        downsample = Downsample.parse(part, useCalendar, timezone);
      }
    }
    return new SubQuery(
        index,
        aggregator,
        null,
        List.of(),
        downsample,
        rate,
        rateOptions,
        false,
        validateTsuids(tsuids));
  }

  /** Validates and upper-cases TSUIDs, which must share one metric (as OpenTSDB requires). */
  private static List<String> validateTsuids(List<String> tsuids) {
    if (tsuids.isEmpty()) {
      return tsuids;
    }
    List<String> valid = new ArrayList<>(tsuids.size());
    for (String tsuid : tsuids) {
      try {
        valid.add(Tsuids.normalize(tsuid.trim()));
      } catch (IllegalArgumentException e) {
        throw new BadQueryException(e.getMessage(), e);
      }
    }
    String metric = valid.get(0).substring(0, Tsuids.UID_HEX_DIGITS);
    for (String tsuid : valid) {
      if (!tsuid.startsWith(metric)) {
        throw new BadQueryException("One or more TSUIDs did not share the same metric");
      }
    }
    return valid;
  }

  private static String validateAggregator(String aggregator) {
    if (aggregator == null || aggregator.isEmpty()) {
      throw new BadQueryException("Missing the aggregation function");
    }
    if (!AGGREGATORS.contains(aggregator)) {
      throw new BadQueryException("No such aggregator: " + aggregator);
    }
    return aggregator;
  }

  /** Adds a group-by filter unless an identical filter exists, which then becomes group-by. */
  private static void addGroupBy(List<TagFilter> filters, TagFilter filter) {
    for (int i = 0; i < filters.size(); i++) {
      TagFilter existing = filters.get(i);
      if (existing.tagk().equals(filter.tagk())
          && existing.type().equals(filter.type())
          && existing.filter().equals(filter.filter())) {
        filters.set(i, existing.withGroupBy(true));
        return;
      }
    }
    filters.add(filter);
  }

  /** Splits {@code key=value} as OpenTSDB's {@code Tags.parse}. */
  private static String[] splitTag(String tag) {
    String[] kv = tag.split("=", -1);
    if (kv.length != 2 || kv[0].isEmpty() || kv[1].isEmpty()) {
      throw new BadQueryException("invalid tag: " + tag);
    }
    return kv;
  }

  private static long[] parseRange(String start, String end, String timezone, long nowMs) {
    long startMs = TimeParser.parse(start, timezone, nowMs);
    long endMs = end == null || end.isEmpty() ? nowMs : TimeParser.parse(end, timezone, nowMs);
    if (endMs <= startMs) {
      throw new BadQueryException(
          "Start time must be less than end time: end time ["
              + endMs
              + "] must be greater than the start time ["
              + startMs
              + "]");
    }
    return new long[] {startMs, endMs};
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static long longValue(JsonNode node, String field, long defaultValue) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (value.canConvertToLong()) {
      return value.asLong();
    }
    try {
      return Long.parseLong(value.asText().trim());
    } catch (NumberFormatException e) {
      throw new BadQueryException(
          "Invalid rate option " + field + ": '" + value.asText() + "' is not a number", e);
    }
  }
}
