package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.http.ApiStats;
import io.meridian.node.MeridianNode;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.DataPoint;
import io.meridian.protocol.opentsdb.DataPointParser;
import io.meridian.protocol.opentsdb.PutRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  PutHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses, ApiStats stats) {
    this.node = node;
    this.mapper = mapper;
    this.parser = new DataPointParser(mapper);
    this.responses = responses;
    this.stats = stats;
  }

  CompletionStage<HttpResponse> put(Map<String, List<String>> params, byte[] body) {
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
    String tenant = node.defaultTenant();
    List<SeriesSamples> batch = toBatch(tenant, request.accepted());
    CompletionStage<Long> stored =
        batch.isEmpty()
            ? CompletableFuture.completedFuture(0L)
            : node.series().append(tenant, batch);
    return stored.thenApply(
        written -> {
          stats.add("tsd.datapoints.added", Map.of("type", "all"), written);
          return response(request, details, summary);
        });
  }

  private HttpResponse response(PutRequest request, boolean details, boolean summary) {
    int failed = request.rejected().size();
    int success = request.accepted().size();
    var status = failed > 0 ? StatusCodes.BAD_REQUEST : StatusCodes.OK;
    if (details || summary) {
      ObjectNode body = mapper.createObjectNode();
      if (details) {
        ArrayNode errors = body.putArray("errors");
        for (PutRequest.Rejected rejected : request.rejected()) {
          ObjectNode error = errors.addObject();
          error.set("datapoint", rejected.datapoint());
          error.put("error", rejected.error());
        }
      }
      body.put("failed", failed);
      body.put("success", success);
      return responses.json(status, body);
    }
    if (failed == 0) {
      return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
    }
    return responses.badRequest("One or more data points had errors", describeRejections(request));
  }

  private static String describeRejections(PutRequest request) {
    StringBuilder sb =
        new StringBuilder()
            .append(request.rejected().size())
            .append(" of ")
            .append(request.total())
            .append(" data points failed: ");
    List<PutRequest.Rejected> rejected = request.rejected();
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

  /** Gathers points into one sample run per series, in arrival order. */
  static List<SeriesSamples> toBatch(String tenant, List<DataPoint> points) {
    Map<SeriesKey, List<DataPoint>> bySeries = new LinkedHashMap<>();
    for (DataPoint point : points) {
      bySeries
          .computeIfAbsent(
              new SeriesKey(tenant, point.metric(), point.tags()), k -> new ArrayList<>())
          .add(point);
    }
    List<SeriesSamples> batch = new ArrayList<>(bySeries.size());
    bySeries.forEach(
        (key, seriesPoints) -> {
          long[] timestamps = new long[seriesPoints.size()];
          double[] values = new double[seriesPoints.size()];
          for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = seriesPoints.get(i).timestampMs();
            values[i] = seriesPoints.get(i).value();
          }
          batch.add(new SeriesSamples(key, timestamps, values));
        });
    return batch;
  }
}
