package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.node.MeridianNode;
import io.meridian.node.uid.UidService;
import io.meridian.protocol.SeriesKey;
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

  CompletionStage<HttpResponse> get(String tenant, Map<String, List<String>> params) {
    List<Selector> selectors = new ArrayList<>();
    for (String timeseries : params.getOrDefault("timeseries", List.of())) {
      selectors.add(selector(timeseries));
    }
    List<String> tsuids = new ArrayList<>();
    for (String list : params.getOrDefault("tsuids", List.of())) {
      for (String tsuid : list.split(",")) {
        if (!tsuid.isBlank()) {
          tsuids.add(tsuid.trim());
        }
      }
    }
    List<String> backScan = params.getOrDefault("back_scan", List.of());
    return run(tenant, selectors, tsuids, backScan.isEmpty() ? null : backScan.get(0));
  }

  CompletionStage<HttpResponse> post(String tenant, Map<String, List<String>> params, byte[] body) {
    JsonNode json = JsonBodies.readObject(mapper, body);
    List<Selector> selectors = new ArrayList<>();
    List<String> tsuids = new ArrayList<>();
    for (JsonNode query : json.path("queries")) {
      if (query.has("tsuids")) {
        query.path("tsuids").forEach(tsuid -> tsuids.add(tsuid.asText()));
        continue;
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
    return run(tenant, selectors, tsuids, backScan == null ? null : backScan.asText());
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

  private CompletionStage<HttpResponse> run(
      String tenant, List<Selector> selectors, List<String> tsuids, String backScanHours) {
    if (selectors.isEmpty() && tsuids.isEmpty()) {
      throw TsdbException.badRequest("Missing timeseries or tsuids", null);
    }
    long sinceMs = sinceMs(backScanHours);
    CompletionStage<List<Latest>> byTsuid =
        tsuids.isEmpty()
            ? CompletableFuture.completedFuture(List.of())
            : Failures.translated(
                    () -> node.uids().resolveAll(tenant, tsuids, false),
                    failure ->
                        failure instanceof UidService.NoSuchUidException unknown
                            ? TsdbException.badRequest(unknown.getMessage(), null)
                            : null)
                .thenCompose(resolved -> lastOfSeries(tenant, resolved, sinceMs));
    List<CompletableFuture<List<SeriesSamples>>> bySelector = new ArrayList<>();
    for (Selector selector : selectors) {
      bySelector.add(
          node.series()
              .last(tenant, selector.metric(), selector.filters(), sinceMs)
              .toCompletableFuture());
    }
    return byTsuid.thenCombine(
        CompletableFuture.allOf(bySelector.toArray(CompletableFuture[]::new)),
        (tsuidPoints, ignored) -> {
          ArrayNode array = mapper.createArrayNode();
          for (CompletableFuture<List<SeriesSamples>> answer : bySelector) {
            for (SeriesSamples latest : answer.join()) {
              write(array, new Latest(latest, null));
            }
          }
          tsuidPoints.forEach(latest -> write(array, latest));
          return responses.json(StatusCodes.OK, array);
        });
  }

  /** The newest sample of a series, with the TSUID it was asked by (or null). */
  private record Latest(SeriesSamples sample, String tsuid) {}

  /** The newest sample of exactly each resolved series (not of series with more tags). */
  private CompletionStage<List<Latest>> lastOfSeries(
      String tenant, Map<String, SeriesKey> resolved, long sinceMs) {
    List<CompletableFuture<List<Latest>>> answers = new ArrayList<>();
    resolved.forEach(
        (tsuid, key) -> {
          List<TagFilter> exact = new ArrayList<>();
          key.tags()
              .forEach(
                  (tagk, tagv) ->
                      exact.add(new TagFilter(tagk, TagFilter.LITERAL_OR, tagv, false)));
          answers.add(
              node.series()
                  .last(tenant, key.metric(), exact, sinceMs)
                  .thenApply(
                      samples ->
                          samples.stream()
                              .filter(sample -> sample.key().equals(key))
                              .map(sample -> new Latest(sample, tsuid))
                              .toList())
                  .toCompletableFuture());
        });
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> answers.stream().flatMap(answer -> answer.join().stream()).toList());
  }

  private void write(ArrayNode array, Latest latest) {
    SeriesSamples sample = latest.sample();
    ObjectNode point = array.addObject();
    point.put("metric", sample.key().metric());
    point.put("timestamp", sample.timestamps()[0]);
    point.put("value", TsdbResponses.formatValue(sample.values()[0]));
    ObjectNode tags = point.putObject("tags");
    sample.key().tags().forEach(tags::put);
    if (latest.tsuid() != null) {
      point.put("tsuid", latest.tsuid());
    }
  }

  private static long sinceMs(String backScanHours) {
    if (backScanHours == null || backScanHours.isEmpty()) {
      return 0;
    }
    try {
      long hours = Long.parseLong(backScanHours);
      if (hours < 0) {
        throw new NumberFormatException();
      }
      return hours == 0 ? 0 : System.currentTimeMillis() - hours * 3_600_000L;
    } catch (NumberFormatException e) {
      throw TsdbException.badRequest("Invalid back_scan: " + backScanHours, "hours, >= 0");
    }
  }
}
