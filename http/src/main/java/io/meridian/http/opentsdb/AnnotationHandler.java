package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.node.MeridianNode;
import io.meridian.node.annotation.Annotation;
import io.meridian.node.annotation.AnnotationChange;
import io.meridian.node.annotation.AnnotationService;
import io.meridian.protocol.opentsdb.BadQueryException;
import io.meridian.protocol.opentsdb.TimeParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /api/annotation} (GET, POST, PUT, DELETE one annotation, by JSON body or query string) and
 * {@code /api/annotation/bulk} (POST or PUT a JSON list; DELETE by TSUIDs or the global flag and a
 * start time range), with OpenTSDB's answers: the stored annotation, 304 when a write gives no
 * field, 404 for an unknown annotation, 204 after a delete.
 *
 * <p>Times are kept in seconds: a JSON {@code startTime}/{@code endTime} above 4294967295 is read
 * as milliseconds and truncated to seconds (OpenTSDB would keep the milliseconds).
 */
final class AnnotationHandler {

  /** The largest timestamp read as seconds; larger ones are milliseconds (OpenTSDB's rule). */
  private static final long MAX_SECONDS = 0xFFFFFFFFL;

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final TsdbResponses responses;

  AnnotationHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses) {
    this.node = node;
    this.mapper = mapper;
    this.responses = responses;
  }

  /** An annotation as OpenTSDB writes it; {@code custom} only when set. */
  static ObjectNode toJson(ObjectMapper mapper, Annotation annotation) {
    ObjectNode json = mapper.createObjectNode();
    json.put("tsuid", annotation.tsuid());
    json.put("description", annotation.description());
    json.put("notes", annotation.notes());
    if (annotation.custom() != null) {
      ObjectNode custom = json.putObject("custom");
      annotation.custom().forEach(custom::put);
    }
    json.put("endTime", annotation.endTime());
    json.put("startTime", annotation.startTime());
    return json;
  }

  CompletionStage<HttpResponse> single(
      String tenant, HttpMethod method, Map<String, List<String>> params, byte[] body) {
    AnnotationService annotations = node.annotations();
    if (method.equals(HttpMethods.GET)) {
      AnnotationChange note = body.length > 0 ? fromJson(object(body)) : fromQueryString(params);
      return translated(() -> annotations.get(tenant, note.tsuid(), note.startTime()))
          .thenApply(
              found ->
                  responses.json(
                      StatusCodes.OK,
                      toJson(
                          mapper,
                          found.orElseThrow(
                              () ->
                                  new TsdbException(
                                      StatusCodes.NOT_FOUND,
                                      "Unable to locate annotation in storage",
                                      null)))));
    }
    if (method.equals(HttpMethods.POST) || method.equals(HttpMethods.PUT)) {
      AnnotationChange note = body.length > 0 ? fromJson(object(body)) : fromQueryString(params);
      boolean replace = method.equals(HttpMethods.PUT);
      return translated(() -> annotations.upsert(tenant, List.of(note), replace))
          .thenApply(
              stored ->
                  stored.isEmpty()
                      ? notModified()
                      : responses.json(StatusCodes.OK, toJson(mapper, stored.get(0))));
    }
    if (method.equals(HttpMethods.DELETE)) {
      AnnotationChange note = body.length > 0 ? fromJson(object(body)) : fromQueryString(params);
      return translated(() -> annotations.delete(tenant, note.tsuid(), note.startTime()))
          .thenApply(deleted -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
    }
    throw Failures.methodNotAllowed(method);
  }

  CompletionStage<HttpResponse> bulk(
      String tenant, HttpMethod method, Map<String, List<String>> params, byte[] body) {
    if (method.equals(HttpMethods.POST) || method.equals(HttpMethods.PUT)) {
      return bulkUpsert(tenant, body, method.equals(HttpMethods.PUT));
    }
    if (method.equals(HttpMethods.DELETE)) {
      return bulkDelete(tenant, params, body);
    }
    throw Failures.methodNotAllowed(method);
  }

  private CompletionStage<HttpResponse> bulkUpsert(String tenant, byte[] body, boolean replace) {
    JsonNode json = parse(body);
    if (!json.isArray()) {
      throw TsdbException.badRequest(
          "Unable to parse the given JSON", "Expected a JSON array of annotations");
    }
    List<AnnotationChange> notes = new ArrayList<>(json.size());
    for (JsonNode element : json) {
      if (!element.isObject()) {
        throw TsdbException.badRequest(
            "Unable to parse the given JSON", "Each annotation must be a JSON object");
      }
      AnnotationChange note = fromJson(element);
      try {
        AnnotationService.validate(note.tsuid(), note.startTime());
      } catch (AnnotationService.InvalidAnnotationException e) {
        throw TsdbException.badRequest(e.getMessage(), "Annotation error: " + element);
      }
      notes.add(note);
    }
    return translated(() -> node.annotations().upsert(tenant, notes, replace))
        .thenApply(
            stored -> {
              ArrayNode array = mapper.createArrayNode();
              stored.forEach(annotation -> array.add(toJson(mapper, annotation)));
              return responses.json(StatusCodes.OK, array);
            });
  }

  /**
   * Deletes by TSUIDs and/or the global flag, for annotations that start in the range; the answer
   * echoes the request (times in milliseconds) with {@code totalDeleted}.
   */
  private CompletionStage<HttpResponse> bulkDelete(
      String tenant, Map<String, List<String>> params, byte[] body) {
    String start;
    String end;
    List<String> tsuids = null;
    boolean global;
    if (body.length > 0) {
      JsonNode json = object(body);
      start = text(json, "startTime", "start_time");
      end = text(json, "endTime", "end_time");
      JsonNode list = json.path("tsuids");
      if (list.isArray()) {
        tsuids = new ArrayList<>();
        for (JsonNode tsuid : list) {
          tsuids.add(tsuid.asText());
        }
      }
      global = json.path("global").asBoolean(false);
    } else {
      start = first(params, "start_time");
      end = first(params, "end_time");
      String list = first(params, "tsuids");
      if (list != null) {
        tsuids = new ArrayList<>();
        for (String tsuid : list.split(",")) {
          if (!tsuid.trim().isEmpty()) {
            tsuids.add(tsuid.trim());
          }
        }
      }
      global = params.containsKey("global");
    }
    if (start == null || start.isEmpty()) {
      throw TsdbException.badRequest("Missing the start time value", null);
    }
    if (!global && (tsuids == null || tsuids.isEmpty())) {
      throw TsdbException.badRequest("Missing the TSUIDs or global annotations flag", null);
    }
    long now = System.currentTimeMillis();
    long startMs = time(start, now);
    long endMs = end == null || end.isEmpty() ? now : time(end, now);
    List<String> selected = tsuids == null ? List.of() : tsuids;
    List<String> echoed = tsuids;
    return translated(
            () -> node.annotations().deleteRange(tenant, selected, global, startMs, endMs))
        .thenApply(
            deleted -> {
              ObjectNode json = mapper.createObjectNode();
              if (echoed == null) {
                json.putNull("tsuids");
              } else {
                ArrayNode array = json.putArray("tsuids");
                echoed.forEach(array::add);
              }
              json.put("global", global);
              json.put("startTime", startMs);
              json.put("endTime", endMs);
              json.put("totalDeleted", deleted);
              return responses.json(StatusCodes.OK, json);
            });
  }

  /** The query-string form: {@code tsuid}, {@code start_time}, {@code end_time}, texts. */
  private static AnnotationChange fromQueryString(Map<String, List<String>> params) {
    String start = first(params, "start_time");
    if (start == null || start.isEmpty()) {
      throw TsdbException.badRequest("Missing start time", null);
    }
    long now = System.currentTimeMillis();
    long startTime = time(start, now) / 1000;
    String end = first(params, "end_time");
    long endTime = end == null || end.isEmpty() ? 0 : time(end, now) / 1000;
    return new AnnotationChange(
        first(params, "tsuid"),
        startTime,
        endTime,
        first(params, "description"),
        first(params, "notes"),
        null);
  }

  /** The JSON form: {@code tsuid}, {@code startTime}, {@code endTime}, texts and {@code custom}. */
  private static AnnotationChange fromJson(JsonNode json) {
    Map<String, String> custom = JsonBodies.customMap(json);
    return new AnnotationChange(
        text(json, "tsuid", "tsuid"),
        seconds(json, "startTime"),
        seconds(json, "endTime"),
        text(json, "description", "description"),
        text(json, "notes", "notes"),
        custom);
  }

  private static long seconds(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return 0;
    }
    long time;
    if (value.canConvertToLong()) {
      time = value.asLong();
    } else {
      try {
        time = Long.parseLong(value.asText().trim());
      } catch (NumberFormatException e) {
        throw TsdbException.badRequest(
            "Unable to parse the given JSON", field + " is not a Unix timestamp: " + value);
      }
    }
    return time > MAX_SECONDS ? time / 1000 : time;
  }

  private static long time(String text, long nowMs) {
    try {
      return TimeParser.parse(text, null, nowMs);
    } catch (BadQueryException e) {
      throw TsdbException.badRequest(e.getMessage(), null);
    }
  }

  private HttpResponse notModified() {
    return HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED);
  }

  private JsonNode parse(byte[] body) {
    return JsonBodies.read(mapper, body);
  }

  private JsonNode object(byte[] body) {
    return JsonBodies.readObject(mapper, body);
  }

  private static <T> CompletionStage<T> translated(Supplier<CompletionStage<T>> call) {
    return Failures.translated(
        call,
        failure -> {
          if (failure instanceof AnnotationService.InvalidAnnotationException invalid) {
            return TsdbException.badRequest(invalid.getMessage(), null);
          }
          if (failure instanceof AnnotationService.LimitExceededException limit) {
            return TsdbException.badRequest("Annotation limit reached", limit.getMessage());
          }
          return null;
        });
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** A text field by its JSON name or, failing that, its query-string name. */
  private static String text(JsonNode json, String field, String alternative) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      value = json.get(alternative);
    }
    return value == null || value.isNull() ? null : value.asText();
  }
}
