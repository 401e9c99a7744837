package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Reads request bodies as JSON, answering OpenTSDB's 400 errors for empty or malformed ones. */
final class JsonBodies {

  private JsonBodies() {}

  /** Any JSON value; an empty body or malformed JSON is a 400. */
  static JsonNode read(ObjectMapper mapper, byte[] body) {
    if (body.length == 0) {
      throw TsdbException.badRequest("Missing request content", "The body was empty");
    }
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      throw TsdbException.badRequest("Unable to parse the given JSON", e.getMessage());
    }
    if (json == null || json.isMissingNode()) {
      throw TsdbException.badRequest("Missing request content", "The body was empty");
    }
    return json;
  }

  /** A JSON object; anything else is a 400. */
  static JsonNode readObject(ObjectMapper mapper, byte[] body) {
    JsonNode json = read(mapper, body);
    if (!json.isObject()) {
      throw TsdbException.badRequest("Unable to parse the given JSON", "Expected a JSON object");
    }
    return json;
  }

  /**
   * The optional {@code custom} field of annotations and UID meta: an object of strings, sorted;
   * null when absent. Anything but an object is a 400.
   */
  static Map<String, String> customMap(JsonNode json) {
    JsonNode custom = json.get("custom");
    if (custom == null || custom.isNull()) {
      return null;
    }
    if (!custom.isObject()) {
      throw TsdbException.badRequest(
          "Unable to parse the given JSON", "custom must be an object of strings");
    }
    Map<String, String> map = new TreeMap<>();
    custom.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
    return map;
  }
}
