package io.meridian.ops.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.ops.bench.LogExcerpts;
import io.meridian.ops.testing.Http;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Log entries as the log tests post them, and what the log-excerpt API answers about them. */
final class LogEntries {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LogEntries() {}

  /** A simple-message entry with every required attribute; {@code msg} identifies it. */
  static String entry(long timestamp, String msg) {
    ObjectNode entry =
        MAPPER
            .createObjectNode()
            .put("timestamp", timestamp)
            .put("ip", "10.1.254.33")
            .put("pid", 2345)
            .put("service", "log-tests")
            .put("level", 1)
            .put("msg", msg);
    return entry.toString();
  }

  /** The path of the excerpt {@code (from, to]}. */
  static String excerpt(long from, long to) {
    return "/v1/log_excerpts/" + from + "/" + to;
  }

  /** The entries of a 200 excerpt response, each parsed. */
  static List<JsonNode> entries(Http.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return LogExcerpts.parsedEntries(response.body());
  }

  /** The {@code msg} of each entry of a 200 excerpt response, in the order given. */
  static List<String> messages(Http.Response response) {
    return entries(response).stream().map(entry -> entry.path("msg").asText()).toList();
  }

  /** The timestamp of each entry of a 200 excerpt response, in the order given. */
  static List<Long> timestamps(Http.Response response) {
    return entries(response).stream().map(entry -> entry.path("timestamp").asLong()).toList();
  }

  /**
   * Posts an entry to a node that may have just started: its first write waits for the journal
   * tables, and until then the node answers 503 and says to retry.
   */
  static void postOnceStoreIsReady(Http http, String entry) {
    Http.Response response =
        onceStoreIsReady("an entry accepted", () -> http.post("/v1/log_excerpts", entry));
    assertThat(response.status()).as(response.body()).isEqualTo(204);
  }

  /** Gets an excerpt from a node that may have just started and answer 503 until it can read. */
  static Http.Response getOnceStoreIsReady(Http http, String path) {
    return onceStoreIsReady("an excerpt read", () -> http.get(path));
  }

  private static Http.Response onceStoreIsReady(String what, Supplier<Http.Response> request) {
    return Http.untilAvailable(what, Duration.ofSeconds(60), request);
  }
}
