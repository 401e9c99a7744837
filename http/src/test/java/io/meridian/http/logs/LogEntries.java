package io.meridian.http.logs;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.testing.NodeUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Log entries and excerpts as the tests of the log-excerpt API post and read them. */
final class LogEntries {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LogEntries() {}

  /** A simple message entry of service {@code api} at level 1. */
  static String message(long timestamp, String msg) {
    return message(timestamp, "api", 1, msg);
  }

  static String message(long timestamp, String service, int level, String msg) {
    return "{\"timestamp\":"
        + timestamp
        + ",\"ip\":\"10.1.254.33\",\"pid\":2345,\"service\":\""
        + service
        + "\",\"level\":"
        + level
        + ",\"msg\":"
        + quoted(msg)
        + "}";
  }

  static String quoted(String text) {
    try {
      return MAPPER.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void post(NodeUnderTest node, String body, String... headers) {
    HttpResponse<String> response = node.send("POST", "/v1/log_excerpts", body, headers);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }

  /** The {@code log_excerpt} object of a 200 answer. */
  static JsonNode excerpt(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("log_excerpt");
  }

  /** The entries of an excerpt, each parsed from its JSON string. */
  static List<JsonNode> entries(JsonNode excerpt) {
    List<JsonNode> entries = new ArrayList<>();
    for (JsonNode text : excerpt.get("entries")) {
      assertThat(text.isTextual()).as("entries are JSON strings").isTrue();
      try {
        entries.add(MAPPER.readTree(text.asText()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return entries;
  }

  /** The {@code _api_error} messages of an error answer with {@code status}. */
  static List<String> apiErrors(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode errors = json(response).get("_api_error");
    assertThat(errors.isArray()).as(response.body()).isTrue();
    List<String> messages = new ArrayList<>();
    errors.forEach(message -> messages.add(message.asText()));
    return messages;
  }
}
