package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.http.ApiStats;
import io.meridian.http.Unavailability;
import io.meridian.node.MeridianNode;
import io.meridian.node.metrics.NodeMetrics;
import io.meridian.node.series.SeriesStore;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.DataPoint;
import io.meridian.protocol.opentsdb.DataPointParser;
import io.meridian.protocol.opentsdb.PutRequest;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code POST /api/put}: validates each point, stores the valid ones and answers only once they are
 * durable, with 204 or the {@code summary}/{@code details} body OpenTSDB defines.
 */
final class PutHandler {

  /** How many rejected points a plain 400 error names before pointing to {@code ?details}. */
  private static final int ERRORS_NAMED = 3;

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final DataPointParser parser;
  private final TsdbResponses responses;
  private final ApiStats stats;
  private final CounterDataPoint ingested;

  PutHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses, ApiStats stats) {
    this.node = node;
    this.mapper = mapper;
    this.parser = new DataPointParser(mapper);
    this.responses = responses;
    this.stats = stats;
    this.ingested = node.metrics().samplesIngested(NodeMetrics.OPENTSDB);
  }

  CompletionStage<HttpResponse> put(String tenant, Map<String, List<String>> params, byte[] body) {
    // Announced while parsing, so that concurrent writes' parts share journal events.
    SeriesStore.WriteAnnouncement announcement = node.series().announceWrite();
    try {
      return parseAndStore(tenant, params, body);
    } finally {
      announcement.close();
    }
  }

  private CompletionStage<HttpResponse> parseAndStore(
      String tenant, Map<String, List<String>> params, byte[] body) {
    PutRequest request;
    try {
      request = parser.parse(body);
    } catch (DataPointParser.MalformedBodyException e) {
      throw TsdbException.badRequest(e.getMessage(), e.details());
    }
    stats.add("tsd.rpc.received", Map.of("type", "put"), request.total());
    stats.add("tsd.rpc.errors", Map.of("type", "invalid_values"), request.rejected().size());
    boolean details = params.containsKey("details") || params.containsKey("detailed");
    boolean summary = params.containsKey("summary");
    Duration timeout = syncTimeout(params);
    List<SeriesSamples> batch = Batches.toBatch(tenant, request.accepted());
    CompletionStage<SeriesStore.AppendResult> stored =
        batch.isEmpty()
            ? CompletableFuture.completedFuture(new SeriesStore.AppendResult(0, Set.of(), null))
            : node.series().append(tenant, batch, timeout);
    return stored.thenApply(
        result -> {
          stats.add("tsd.datapoints.added", Map.of("type", "all"), result.acknowledged());
          ingested.inc(result.acknowledged());
          return response(tenant, request, result, details, summary);
        });
  }

  /**
   * Writes are always synchronous (answered once durable), so {@code sync} changes nothing; {@code
   * sync_timeout} (ms, 0 = the default) bounds how long the request waits for storage.
   */
  private Duration syncTimeout(Map<String, List<String>> params) {
    List<String> values = params.getOrDefault("sync_timeout", List.of());
    if (values.isEmpty() || values.get(0).isEmpty()) {
      return node.series().askTimeout();
    }
    try {
      long ms = Long.parseLong(values.get(0));
      if (ms < 0) {
        throw new NumberFormatException();
      }
      return ms == 0 ? node.series().askTimeout() : Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw TsdbException.badRequest(
          "Unable to parse sync_timeout", "Expected milliseconds >= 0, got " + values.get(0));
    }
  }

  private HttpResponse response(
      String tenant,
      PutRequest request,
      SeriesStore.AppendResult stored,
      boolean details,
      boolean summary) {
    List<DataPoint> unacknowledged =
        request.accepted().stream()
            .filter(
                point ->
                    stored.failed().contains(new SeriesKey(tenant, point.metric(), point.tags())))
            .toList();
    List<PutRequest.Rejected> refused = refusedPoints(tenant, request, stored);
    int failed = request.rejected().size() + refused.size() + unacknowledged.size();
    int success = request.accepted().size() - refused.size() - unacknowledged.size();
    String storageError =
        "Storage did not acknowledge the write in time, retry: "
            + (stored.failure() == null ? "" : stored.failure().getMessage());
    if (details || summary) {
      ObjectNode body = mapper.createObjectNode();
      if (details) {
        ArrayNode errors = body.putArray("errors");
        for (PutRequest.Rejected rejected : concat(request.rejected(), refused)) {
          ObjectNode error = errors.addObject();
          error.set("datapoint", rejected.datapoint());
          error.put("error", rejected.error());
        }
        for (DataPoint point : unacknowledged) {
          ObjectNode error = errors.addObject();
          error.set("datapoint", asJson(point));
          error.put("error", storageError);
        }
      }
      body.put("failed", failed);
      body.put("success", success);
      if (!unacknowledged.isEmpty()) {
        return Unavailability.STORE_UNAVAILABLE.on(
            responses.withRetryAfter(responses.json(StatusCodes.SERVICE_UNAVAILABLE, body)));
      }
      return responses.json(failed > 0 ? StatusCodes.BAD_REQUEST : StatusCodes.OK, body);
    }
    if (!unacknowledged.isEmpty()) {
      return Unavailability.STORE_UNAVAILABLE.on(
          responses.unavailable(
              "Storage unavailable, retry later",
              unacknowledged.size()
                  + " of "
                  + request.total()
                  + " data points were not acknowledged. "
                  + storageError,
              stored.failure()));
    }
    if (failed == 0) {
      return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
    }
    return responses.badRequest(
        "One or more data points had errors",
        describeRejections(concat(request.rejected(), refused), request.total()));
  }

  /**
   * The data points the store refused (older than retention, or of new series beyond the series
   * limit): for each refused series, its {@code samples} oldest points in the request, since a
   * group refuses a series' samples from the oldest on.
   */
  private List<PutRequest.Rejected> refusedPoints(
      String tenant, PutRequest request, SeriesStore.AppendResult stored) {
    if (stored.refused().isEmpty()) {
      return List.of();
    }
    Map<SeriesKey, List<String>> reasons = new HashMap<>();
    for (SeriesStore.Refused refused : stored.refused()) {
      List<String> perSample = reasons.computeIfAbsent(refused.key(), k -> new ArrayList<>());
      for (int i = 0; i < refused.samples(); i++) {
        perSample.add(refused.reason());
      }
    }
    List<PutRequest.Rejected> points = new ArrayList<>();
    request.accepted().stream()
        .filter(p -> reasons.containsKey(new SeriesKey(tenant, p.metric(), p.tags())))
        .sorted(Comparator.comparingLong(DataPoint::timestampMs))
        .forEach(
            point -> {
              List<String> left = reasons.get(new SeriesKey(tenant, point.metric(), point.tags()));
              if (!left.isEmpty()) {
                points.add(new PutRequest.Rejected(asJson(point), left.remove(0)));
              }
            });
    return points;
  }

  private static List<PutRequest.Rejected> concat(
      List<PutRequest.Rejected> first, List<PutRequest.Rejected> second) {
    if (second.isEmpty()) {
      return first;
    }
    List<PutRequest.Rejected> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private ObjectNode asJson(DataPoint point) {
    ObjectNode json = mapper.createObjectNode();
    json.put("metric", point.metric());
    json.put("timestamp", point.timestampMs());
    json.put("value", point.value());
    ObjectNode tags = json.putObject("tags");
    point.tags().forEach(tags::put);
    return json;
  }

  private static String describeRejections(List<PutRequest.Rejected> rejected, int total) {
    StringBuilder sb =
        new StringBuilder()
            .append(rejected.size())
            .append(" of ")
            .append(total)
            .append(" data points failed: ");
    for (int i = 0; i < Math.min(ERRORS_NAMED, rejected.size()); i++) {
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(rejected.get(i).error()).append(" in ").append(rejected.get(i).datapoint());
    }
    if (rejected.size() > ERRORS_NAMED) {
      sb.append("; and ").append(rejected.size() - ERRORS_NAMED).append(" more");
    }
    return sb.append(". Append ?details to the request to see every error.").toString();
  }
}
