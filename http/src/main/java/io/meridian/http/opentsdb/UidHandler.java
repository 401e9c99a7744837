package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.node.MeridianNode;
import io.meridian.node.uid.UidKind;
import io.meridian.node.uid.UidMeta;
import io.meridian.node.uid.UidMetaChange;
import io.meridian.node.uid.UidService;
import io.meridian.protocol.opentsdb.Tsuids;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /api/uid/assign} (GET {@code metric=a,b&tagk=…&tagv=…} or POST the same as JSON lists) and
 * {@code /api/uid/uidmeta} (GET by {@code uid} and {@code type}; POST merges, PUT replaces the
 * editable fields; DELETE resets them), with OpenTSDB's answers: per-name results and errors (400
 * when any name failed), 304 when an update gives no field, 404 for a UID never assigned.
 */
final class UidHandler {

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final TsdbResponses responses;

  UidHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses) {
    this.node = node;
    this.mapper = mapper;
    this.responses = responses;
  }

  CompletionStage<HttpResponse> assign(
      String tenant, HttpMethod method, Map<String, List<String>> params, byte[] body) {
    if (!method.equals(HttpMethods.GET) && !method.equals(HttpMethods.POST)) {
      throw Failures.methodNotAllowed(method);
    }
    // Request order of the types, each with its names; unknown types only collect errors.
    Map<String, List<String>> requested = new LinkedHashMap<>();
    if (body.length > 0) {
      JsonNode json = object(body);
      Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getValue().isArray()) {
          throw TsdbException.badRequest(
              "Unable to parse the given JSON", field.getKey() + " must be a list of names");
        }
        List<String> names = new ArrayList<>();
        field.getValue().forEach(name -> names.add(name.asText()));
        if (!names.isEmpty()) {
          requested.put(field.getKey(), names);
        }
      }
    } else {
      for (UidKind kind : UidKind.values()) {
        String values = first(params, kind.parameter());
        if (values != null && !values.isEmpty()) {
          List<String> names = new ArrayList<>();
          for (String name : values.split(",")) {
            if (!name.isEmpty()) {
              names.add(name);
            }
          }
          requested.put(kind.parameter(), names);
        }
      }
    }
    if (requested.isEmpty()) {
      throw TsdbException.badRequest("Missing values to assign UIDs", null);
    }
    Map<UidKind, List<String>> byKind = new LinkedHashMap<>();
    Map<String, List<String>> unknown = new LinkedHashMap<>();
    requested.forEach(
        (type, names) -> {
          UidKind kind = kindOf(type);
          if (kind == null) {
            unknown.put(type, names);
          } else {
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(names);
          }
        });
    CompletionStage<Map<UidKind, UidService.Assignment>> assigned =
        byKind.isEmpty()
            ? CompletableFuture.completedFuture(Map.of())
            : node.uids().assign(tenant, byKind);
    return assigned.thenApply(
        results -> {
          ObjectNode json = mapper.createObjectNode();
          boolean failed = false;
          for (Map.Entry<UidKind, UidService.Assignment> result : results.entrySet()) {
            String type = result.getKey().parameter();
            ObjectNode uids = json.putObject(type);
            result.getValue().uids().forEach(uids::put);
            if (!result.getValue().errors().isEmpty()) {
              failed = true;
              ObjectNode errors = json.putObject(type + "_errors");
              result.getValue().errors().forEach(errors::put);
            }
          }
          for (Map.Entry<String, List<String>> type : unknown.entrySet()) {
            failed = true;
            json.putObject(type.getKey());
            ObjectNode errors = json.putObject(type.getKey() + "_errors");
            type.getValue().forEach(name -> errors.put(name, "Unknown type name"));
          }
          return responses.json(failed ? StatusCodes.BAD_REQUEST : StatusCodes.OK, json);
        });
  }

  /** OpenTSDB's assign types are exactly {@code metric}, {@code tagk} and {@code tagv}. */
  private static UidKind kindOf(String type) {
    for (UidKind kind : UidKind.values()) {
      if (kind.parameter().equals(type.toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    return null;
  }

  CompletionStage<HttpResponse> uidmeta(
      String tenant, HttpMethod method, Map<String, List<String>> params, byte[] body) {
    UidService uids = node.uids();
    if (method.equals(HttpMethods.GET)) {
      UidKind kind = kind(required(params, "type"));
      int uid = uid(required(params, "uid"));
      return uids.meta(tenant, kind, uid)
          .thenApply(meta -> responses.json(StatusCodes.OK, toJson(found(meta, kind, uid))));
    }
    if (method.equals(HttpMethods.POST) || method.equals(HttpMethods.PUT)) {
      Request request = body.length > 0 ? fromJson(object(body)) : fromQueryString(params);
      if (!request.change().hasChanges()) {
        return CompletableFuture.completedFuture(
            HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED));
      }
      boolean replace = method.equals(HttpMethods.PUT);
      return uids.updateMeta(tenant, request.kind(), request.uid(), request.change(), replace)
          .thenApply(
              meta ->
                  responses.json(
                      StatusCodes.OK, toJson(found(meta, request.kind(), request.uid()))));
    }
    if (method.equals(HttpMethods.DELETE)) {
      Request request = body.length > 0 ? fromJson(object(body)) : fromQueryString(params);
      return uids.deleteMeta(tenant, request.kind(), request.uid())
          .thenApply(
              meta -> {
                found(meta, request.kind(), request.uid());
                return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
              });
    }
    throw Failures.methodNotAllowed(method);
  }

  /** A parsed uidmeta write: which UID and the fields given. */
  private record Request(UidKind kind, int uid, UidMetaChange change) {}

  private Request fromJson(JsonNode json) {
    Map<String, String> custom = JsonBodies.customMap(json);
    String uid = text(json, "uid");
    String type = text(json, "type");
    if (uid == null || uid.isEmpty()) {
      throw TsdbException.badRequest("Missing UID", null);
    }
    if (type == null || type.isEmpty()) {
      throw TsdbException.badRequest("Missing type", null);
    }
    return new Request(
        kind(type),
        uid(uid),
        new UidMetaChange(
            text(json, "displayName"), text(json, "description"), text(json, "notes"), custom));
  }

  private Request fromQueryString(Map<String, List<String>> params) {
    return new Request(
        kind(required(params, "type")),
        uid(required(params, "uid")),
        new UidMetaChange(
            first(params, "display_name"),
            first(params, "description"),
            first(params, "notes"),
            null));
  }

  private static UidMeta found(Optional<UidMeta> meta, UidKind kind, int uid) {
    return meta.orElseThrow(
        () ->
            new TsdbException(
                StatusCodes.NOT_FOUND,
                "Could not find the requested UID",
                new UidService.NoSuchUidException(kind, uid).getMessage()));
  }

  /** A UID's meta data as OpenTSDB writes it ({@code custom} is null when never set). */
  private ObjectNode toJson(UidMeta meta) {
    ObjectNode json = mapper.createObjectNode();
    json.put("uid", meta.uidHex());
    json.put("type", meta.kind().name());
    json.put("name", meta.name());
    json.put("description", meta.description());
    json.put("notes", meta.notes());
    json.put("created", meta.created());
    if (meta.custom() == null) {
      json.putNull("custom");
    } else {
      ObjectNode custom = json.putObject("custom");
      meta.custom().forEach(custom::put);
    }
    json.put("displayName", meta.displayName());
    return json;
  }

  private static UidKind kind(String type) {
    try {
      return UidKind.parse(type);
    } catch (IllegalArgumentException e) {
      throw TsdbException.badRequest(e.getMessage(), null);
    }
  }

  private static int uid(String hex) {
    try {
      return Tsuids.parseUid(hex);
    } catch (IllegalArgumentException e) {
      throw TsdbException.badRequest(e.getMessage(), null);
    }
  }

  private JsonNode object(byte[] body) {
    return JsonBodies.readObject(mapper, body);
  }

  private static String required(Map<String, List<String>> params, String name) {
    String value = first(params, name);
    if (value == null || value.isEmpty()) {
      throw TsdbException.badRequest("Missing parameter '" + name + "'", null);
    }
    return value;
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
