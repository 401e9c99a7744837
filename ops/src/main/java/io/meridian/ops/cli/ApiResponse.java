package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpHeaders;

/** An answer of the API: its status, headers and body text, with the body as JSON on demand. */
record ApiResponse(int status, HttpHeaders headers, String body) {

  private static final ObjectMapper JSON = new ObjectMapper();

  boolean ok() {
    return status >= 200 && status < 300;
  }

  /** The request's tag, which every answer carries in {@code X-Meridian-Tag}. */
  String tag() {
    return headers.firstValue("X-Meridian-Tag").orElse(null);
  }

  /** The body as JSON; a missing node for an empty body, an error if it is not JSON. */
  JsonNode json() {
    if (body.isBlank()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new ApiException(status, "The answer is not JSON: " + abbreviate(body), tag());
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
