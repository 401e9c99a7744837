package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.node.MeridianNode;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.BadQueryException;
import io.meridian.protocol.opentsdb.QueryParser;
import io.meridian.protocol.opentsdb.TagFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /api/query/last}: the newest data point of each series matching {@code
 * timeseries=metric{tags}} (GET) or the {@code queries} of a POST body, optionally no older than
 * {@code back_scan} hours.
 */
final class LastHandler {

  /** One series selector of a last query: a metric and literal or wildcard tag filters. */
  private record Selector(String metric, List<TagFilter> filters) {}

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final TsdbResponses responses;

  LastHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses) {
    this.node = node;
    this.mapper = mapper;
    this.responses = responses;
  }

  CompletionStage<HttpResponse> get(Map<String, List<String>> params) {
    if (params.containsKey("tsuids")) {
      throw TsdbException.badRequest(
          "tsuids are not supported by /api/query/last yet", "Use timeseries=metric{tags}");
    }
    List<Selector> selectors = new ArrayList<>();
    for (String timeseries : params.getOrDefault("timeseries", List.of())) {
      selectors.add(selector(timeseries));
    }
    List<String> backScan = params.getOrDefault("back_scan", List.of());
    return run(selectors, backScan.isEmpty() ? null : backScan.get(0));
  }

  CompletionStage<HttpResponse> post(Map<String, List<String>> params, byte[] body) {
    JsonNode json = JsonBodies.readObject(mapper, body);
    List<Selector> selectors = new ArrayList<>();
    for (JsonNode query : json.path("queries")) {
      if (query.has("tsuids")) {
        throw TsdbException.badRequest(
            "tsuids are not supported by /api/query/last yet", "Use metric and tags");
      }
      String metric = query.path("metric").asText("");
      if (metric.isEmpty()) {
        throw TsdbException.badRequest("Missing metric in a last query", query.toString());
      }
      List<TagFilter> filters = new ArrayList<>();
      query
          .path("tags")
          .fields()
          .forEachRemaining(tag -> filters.add(filter(tag.getKey(), tag.getValue().asText())));
      selectors.add(new Selector(metric, filters));
    }
    JsonNode backScan = json.get("backScan");
    return run(selectors, backScan == null ? null : backScan.asText());
  }

  private static Selector selector(String timeseries) {
    try {
      List<TagFilter> filters = new ArrayList<>();
      String metric = QueryParser.parseMetricAndFilters(timeseries, filters);
      return new Selector(metric, filters);
    } catch (BadQueryException e) {
      throw TsdbException.badRequest(e.getMessage(), timeseries);
    }
  }

  private static TagFilter filter(String tagk, String value) {
    try {
      return TagFilter.fromTagValue(tagk, value, false);
    } catch (BadQueryException e) {
      throw TsdbException.badRequest(e.getMessage(), tagk + "=" + value);
    }
  }

  private CompletionStage<HttpResponse> run(List<Selector> selectors, String backScanHours) {
    if (selectors.isEmpty()) {
      throw TsdbException.badRequest("Missing timeseries or tsuids", null);
    }
    long sinceMs = 0;
    if (backScanHours != null && !backScanHours.isEmpty()) {
      try {
        long hours = Long.parseLong(backScanHours);
        if (hours < 0) {
          throw new NumberFormatException();
        }
        sinceMs = hours == 0 ? 0 : System.currentTimeMillis() - hours * 3_600_000L;
      } catch (NumberFormatException e) {
        throw TsdbException.badRequest("Invalid back_scan: " + backScanHours, "hours, >= 0");
      }
    }
    List<CompletableFuture<List<SeriesSamples>>> answers = new ArrayList<>();
    for (Selector selector : selectors) {
      answers.add(
          node.series()
              .last(node.defaultTenant(), selector.metric(), selector.filters(), sinceMs)
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              ArrayNode array = mapper.createArrayNode();
              for (CompletableFuture<List<SeriesSamples>> answer : answers) {
                for (SeriesSamples latest : answer.join()) {
                  ObjectNode point = array.addObject();
                  point.put("metric", latest.key().metric());
                  point.put("timestamp", latest.timestamps()[0]);
                  point.put("value", TsdbResponses.formatValue(latest.values()[0]));
                  ObjectNode tags = point.putObject("tags");
                  latest.key().tags().forEach(tags::put);
                }
              }
              return responses.json(StatusCodes.OK, array);
            });
  }
}
