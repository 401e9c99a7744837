package io.meridian.http.opentsdb;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMultiMap;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.http.HttpSettings;
import io.meridian.node.MeridianNode;
import io.meridian.node.query.QueryService;
import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.DataPoint;
import io.meridian.protocol.opentsdb.DataPointParser;
import io.meridian.protocol.opentsdb.PutRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/** The OpenTSDB 2.x HTTP API: {@code /api/put} and {@code /api/query}. */
public final class OpenTsdbRoutes {

  /** How many rejected points a plain 400 error names before pointing to {@code ?details}. */
  private static final int ERRORS_NAMED = 3;

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final DataPointParser parser;
  private final TsdbResponses responses;
  private final QueryHandler queries;

  public OpenTsdbRoutes(MeridianNode node, HttpSettings settings) {
    this.node = node;
    this.mapper =
        JacksonObjectMapperProvider.get(node.system())
            .getOrCreate("jackson-json", Optional.empty());
    this.parser = new DataPointParser(mapper);
    this.responses = new TsdbResponses(mapper, settings);
    this.queries = new QueryHandler(node, mapper, responses);
  }

  public Route route() {
    return pathPrefix(
        "api",
        () ->
            concat(
                path(
                    "put",
                    () ->
                        concat(
                            post(
                                () ->
                                    parameterMultiMap(
                                        params ->
                                            entity(
                                                Unmarshaller.entityToByteArray(),
                                                body -> guarded(() -> put(params, body))))),
                            methodNotAllowed())),
                path(
                    "query",
                    () ->
                        concat(
                            get(
                                () ->
                                    parameterMultiMap(
                                        params -> guarded(() -> queries.get(params)))),
                            post(
                                () ->
                                    parameterMultiMap(
                                        params ->
                                            entity(
                                                Unmarshaller.entityToByteArray(),
                                                body ->
                                                    guarded(() -> queries.post(params, body))))),
                            methodNotAllowed()))));
  }

  private Route methodNotAllowed() {
    return complete(
        responses.error(
            StatusCodes.METHOD_NOT_ALLOWED,
            "Method not allowed",
            "The HTTP method is not supported on this endpoint",
            null));
  }

  /** Turns any failure of a handler into the OpenTSDB error object instead of a bare 500. */
  private Route guarded(Supplier<CompletionStage<HttpResponse>> handler) {
    CompletionStage<HttpResponse> response;
    try {
      response = handler.get();
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    return completeWithFuture(response.exceptionally(this::failure));
  }

  private HttpResponse failure(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof StoreUnavailableException) {
      return responses.unavailable("Storage unavailable, retry later", cause.getMessage(), cause);
    }
    if (cause instanceof DataPointParser.MalformedBodyException malformed) {
      return responses.badRequest(malformed.getMessage(), malformed.details());
    }
    if (cause instanceof QueryService.NoSuchMetricException unknown) {
      return responses.badRequest(unknown.getMessage(), null);
    }
    if (cause instanceof BadRequest bad) {
      return responses.badRequest(bad.getMessage(), bad.details());
    }
    node.system().log().error("Unexpected failure in the OpenTSDB API", cause);
    return responses.error(
        StatusCodes.INTERNAL_SERVER_ERROR, "Internal error", String.valueOf(cause), cause);
  }

  private CompletionStage<HttpResponse> put(Map<String, List<String>> params, byte[] body) {
    PutRequest request = parser.parse(body);
    boolean details = params.containsKey("details") || params.containsKey("detailed");
    boolean summary = params.containsKey("summary");
    String tenant = node.defaultTenant();
    List<SeriesSamples> batch = toBatch(tenant, request.accepted());
    CompletionStage<Long> stored =
        batch.isEmpty()
            ? CompletableFuture.completedFuture(0L)
            : node.series().append(tenant, batch);
    return stored.thenApply(ignored -> putResponse(request, details, summary));
  }

  private HttpResponse putResponse(PutRequest request, boolean details, boolean summary) {
    int failed = request.rejected().size();
    int success = request.accepted().size();
    var status = failed > 0 ? StatusCodes.BAD_REQUEST : StatusCodes.OK;
    if (details) {
      ObjectNode body = mapper.createObjectNode();
      ArrayNode errors = body.putArray("errors");
      for (PutRequest.Rejected rejected : request.rejected()) {
        ObjectNode error = errors.addObject();
        error.set("datapoint", rejected.datapoint());
        error.put("error", rejected.error());
      }
      body.put("failed", failed);
      body.put("success", success);
      return responses.json(status, body);
    }
    if (summary) {
      ObjectNode body = mapper.createObjectNode();
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

  /** Gathers the points of a request into one sample run per series, in request order. */
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

  /** A request the API rejects with 400 and the OpenTSDB error object. */
  static final class BadRequest extends RuntimeException {
    private final String details;

    BadRequest(String message, String details) {
      super(message);
      this.details = details;
    }

    String details() {
      return details;
    }
  }
}
