package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The message of a refused request, read from whichever error format its API answers in: OpenTSDB's
 * and Meridian's own {@code {"error":{"message":…,"details":…}}}, Prometheus' {@code
 * {"status":"error","errorType":…,"error":…}}, the log API's {@code {"_api_error":[…]}}, the
 * OpenMetrics envelope and OAuth 2's {@code {"error":…,"error_description":…}}.
 */
final class ApiErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiErrors() {}

  /** The failure of an answer that is not a success. */
  static ApiException of(ApiResponse response) {
    String message = message(response.body());
    if (message == null) {
      message =
          response.body().isBlank()
              ? "HTTP " + response.status()
              : "HTTP " + response.status() + ": " + response.body().strip();
    }
    String tag = response.tag();
    if (tag == null) {
      tag = bodyTag(response.body());
    }
    return new ApiException(response.status(), message, tag);
  }

  private static String message(String body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
    if (json == null || !json.isObject()) {
      return null;
    }
    JsonNode error = json.path("error");
    if (error.isObject()) {
      String message = error.path("message").asText("");
      String details = error.path("details").asText("");
      return details.isEmpty() ? message : message + ": " + details;
    }
    if (json.has("errorType")) {
      return json.path("errorType").asText() + ": " + json.path("error").asText();
    }
    if (error.isTextual()) {
      String description = json.path("error_description").asText("");
      return description.isEmpty() ? error.asText() : error.asText() + ": " + description;
    }
    if (json.path("_api_error").isArray()) {
      List<String> problems = new ArrayList<>();
      json.path("_api_error").forEach(p -> problems.add(p.asText()));
      return String.join("; ", problems);
    }
    JsonNode header = json.path("header");
    if (header.has("resultCode")) {
      return envelopeMessage(header);
    }
    if (json.path("errors").isArray() && json.has("failed")) {
      String first = json.path("errors").path(0).path("error").asText("");
      return json.path("failed").asText()
          + " data point(s) failed"
          + (first.isEmpty() ? "" : ": " + first);
    }
    return null;
  }

  /** The OpenMetrics envelope's result: {@code -40006 NOT_FOUND_JOB: No job …}. */
  static String envelopeMessage(JsonNode header) {
    String detail = header.path("resultDetail").asText("");
    return header.path("resultCode").asText()
        + " "
        + header.path("resultMessage").asText()
        + (detail.isEmpty() ? "" : ": " + detail);
  }

  private static String bodyTag(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json == null) {
        return null;
      }
      for (JsonNode candidate :
          List.of(json.path("tag"), json.path("error").path("tag"), json.at("/header/tag"))) {
        if (candidate.isTextual()) {
          return candidate.asText();
        }
      }
    } catch (IOException e) {
      // Not JSON: no tag in the body.
    }
    return null;
  }
}
