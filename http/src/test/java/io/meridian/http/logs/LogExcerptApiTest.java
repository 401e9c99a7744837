package io.meridian.http.logs;

import static io.meridian.http.logs.LogEntries.apiErrors;
import static io.meridian.http.logs.LogEntries.entries;
import static io.meridian.http.logs.LogEntries.excerpt;
import static io.meridian.http.logs.LogEntries.message;
import static io.meridian.http.logs.LogEntries.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The log-excerpt API over real HTTP: the {@code (from, to]} interval, sorted entries, entries kept
 * exactly as posted (multi-line messages, extra attributes, request-cycle entries), the resource
 * shape and self link, bulk posts, filters, delete, and the errors of bad paths and methods. Each
 * test uses its own range of timestamps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogExcerptApiTest {

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node = InMemoryNode.start("LogExcerptApiTest", "");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private JsonNode get(String path) {
    return excerpt(node.send("GET", path, null));
  }

  @Test
  void theIntervalExcludesFromAndIncludesTo() {
    for (long ts : new long[] {1000, 1001, 1500, 2000, 2001}) {
      post(node, message(ts, "at " + ts));
    }

    assertThat(entries(get("/v1/log_excerpts/1000/2000")))
        .extracting(e -> e.get("timestamp").asLong())
        .containsExactly(1001L, 1500L, 2000L);
    assertThat(entries(get("/v1/log_excerpts/999/1000"))).hasSize(1);
    assertThat(entries(get("/v1/log_excerpts/2000/2000"))).isEmpty();
  }

  @Test
  void entriesAreSortedByTimestampWhateverOrderTheyCameIn() {
    post(node, message(10_300, "third"));
    post(node, message(10_100, "first"));
    post(node, message(10_200, "second"));

    assertThat(entries(get("/v1/log_excerpts/10000/11000")))
        .extracting(e -> e.get("msg").asText())
        .containsExactly("first", "second", "third");
  }

  @Test
  void theResourceHasTheSeedsShapeAndASelfLinkFromTheHostHeader() {
    post(node, message(20_001, "one"));
    HttpResponse<String> response =
        node.send("GET", "/v1/log_excerpts/20000/21000?service=api", null);

    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode excerpt = excerpt(response);
    assertThat(excerpt.get("_links").get("self").get("href").asText())
        .isEqualTo("http://" + node.hostAndPort() + "/v1/log_excerpts/20000/21000");
    assertThat(excerpt.get("_links").get("self").get("type").asText())
        .isEqualTo("application/json");
    assertThat(excerpt.get("from").asLong()).isEqualTo(20_000);
    assertThat(excerpt.get("to").asLong()).isEqualTo(21_000);
    assertThat(excerpt.get("entries").get(0).asText()).isEqualTo(message(20_001, "one"));
  }

  @Test
  void multiLineMessagesAndExtraAttributesComeBackAsPosted() {
    String entry =
        "{\"timestamp\":30001,\"ip\":\"10.0.0.1\",\"pid\":7,\"service\":\"worker\",\"level\":3,"
            + "\"msg\":\"boom\\n  at Foo.bar(Foo.java:1)\\n  at Main\",\"region\":\"eu\","
            + "\"tags\":[\"a\",\"b\"],\"ctx\":{\"user\":42}}";
    post(node, entry);

    JsonNode excerpt = get("/v1/log_excerpts/30000/31000");
    assertThat(excerpt.get("entries").get(0).asText()).isEqualTo(entry);
    JsonNode parsed = entries(excerpt).get(0);
    assertThat(parsed.get("msg").asText()).isEqualTo("boom\n  at Foo.bar(Foo.java:1)\n  at Main");
    assertThat(parsed.get("region").asText()).isEqualTo("eu");
    assertThat(parsed.get("ctx").get("user").asInt()).isEqualTo(42);
  }

  @Test
  void requestCycleEntriesWithoutMsgAreAccepted() {
    String entry =
        "{\"timestamp\":40001,\"ip\":\"10.0.0.1\",\"pid\":7,\"service\":\"api\",\"level\":1,"
            + "\"status\":403,\"method\":\"GET\",\"path\":\"/v1/foo_bars?baz=quux\","
            + "\"remote_ip\":\"1.2.3.4\",\"runtime\":12.5,\"db_runtime\":3,\"view_runtime\":0.4,"
            + "\"params\":{\"baz\":\"quux\"},\"token\":\"t\",\"username\":\"u\","
            + "\"cache_control\":\"no-cache\",\"metadata\":\"m\",\"filter\":\":x-api-token-required\",\"_api_error\":[\"X-API-Token"
            + " is missing\"],\"exception_message\":\"e\",\"exception_backtrace\":[\"a\",\"b\"]}";
    post(node, entry);

    assertThat(get("/v1/log_excerpts/40000/41000").get("entries").get(0).asText()).isEqualTo(entry);
  }

  @Test
  void aJsonArrayPostsEveryEntry() {
    post(
        node,
        "[" + message(50_001, "a") + "," + message(50_002, "b") + "," + message(50_003, "c") + "]");

    assertThat(entries(get("/v1/log_excerpts/50000/51000"))).hasSize(3);
  }

  @Test
  void ndjsonPostsOneEntryPerLineIgnoringBlankLines() {
    post(
        node,
        message(60_001, "a") + "\n\n" + message(60_002, "b") + "\r\n" + message(60_003, "c") + "\n",
        "Content-Type",
        "application/x-ndjson");

    assertThat(entries(get("/v1/log_excerpts/60000/61000")))
        .extracting(e -> e.get("msg").asText())
        .containsExactly("a", "b", "c");
  }

  @Test
  void filtersSelectByServiceMinimumLevelAndText() {
    post(
        node,
        "["
            + message(70_001, "api", 0, "debug detail")
            + ","
            + message(70_002, "api", 3, "db timeout")
            + ","
            + message(70_003, "worker", 4, "worker crashed")
            + ","
            + message(70_004, "worker", 1, "job done")
            + "]");

    assertThat(entries(get("/v1/log_excerpts/70000/71000?service=worker")))
        .extracting(e -> e.get("timestamp").asLong())
        .containsExactly(70_003L, 70_004L);
    assertThat(entries(get("/v1/log_excerpts/70000/71000?level=3")))
        .extracting(e -> e.get("timestamp").asLong())
        .containsExactly(70_002L, 70_003L);
    assertThat(entries(get("/v1/log_excerpts/70000/71000?contains=timeout")))
        .extracting(e -> e.get("timestamp").asLong())
        .containsExactly(70_002L);
    assertThat(entries(get("/v1/log_excerpts/70000/71000?service=api&level=1")))
        .extracting(e -> e.get("timestamp").asLong())
        .containsExactly(70_002L);
    assertThat(apiErrors(node.send("GET", "/v1/log_excerpts/70000/71000?level=6", null), 400))
        .singleElement()
        .asString()
        .contains("level");
  }

  @Test
  void deleteRemovesExactlyTheRange() {
    for (long ts : new long[] {80_000, 80_001, 80_500, 81_000, 81_001}) {
      post(node, message(ts, "at " + ts));
    }

    HttpResponse<String> deleted = node.send("DELETE", "/v1/log_excerpts/80000/81000", null);
    assertThat(deleted.statusCode()).isEqualTo(204);

    assertThat(entries(get("/v1/log_excerpts/80000/81000"))).isEmpty();
    assertThat(entries(get("/v1/log_excerpts/79000/82000")))
        .extracting(e -> e.get("timestamp").asLong())
        .containsExactly(80_000L, 81_001L);
  }

  @Test
  void fromAndToMustBeIntegersInOrder() {
    assertThat(apiErrors(node.send("GET", "/v1/log_excerpts/abc/2000", null), 400))
        .singleElement()
        .asString()
        .startsWith("from must be an integer");
    assertThat(apiErrors(node.send("GET", "/v1/log_excerpts/1000/1.5", null), 400))
        .singleElement()
        .asString()
        .startsWith("to must be an integer");
    assertThat(apiErrors(node.send("DELETE", "/v1/log_excerpts/2000/1000", null), 400))
        .singleElement()
        .asString()
        .contains("must not be later than");
  }

  @Test
  void unknownPathsAre404AndWrongMethods405InTheApiErrorBody() {
    assertThat(apiErrors(node.send("GET", "/v1/log_excerpts/1/2/3", null), 404)).hasSize(1);
    assertThat(apiErrors(node.send("GET", "/v1/log_excerpts", null), 405))
        .singleElement()
        .asString()
        .contains("POST");
    assertThat(apiErrors(node.send("PUT", "/v1/log_excerpts/1/2", ""), 405))
        .singleElement()
        .asString()
        .contains("GET")
        .contains("DELETE");
  }
}
