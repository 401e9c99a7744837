package io.meridian.http;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Every request is tagged: the tag comes back in a header and, in an error answer, in the error
 * body of the request's API, and the same tag is on the request's access, error and exception log
 * lines, so that an operator finds what a user quotes.
 */
class RequestTagsTest {

  private static InMemoryNode node;
  private final ListAppender<ILoggingEvent> access = new ListAppender<>();
  private final ListAppender<ILoggingEvent> errors = new ListAppender<>();
  private final ListAppender<ILoggingEvent> exceptions = new ListAppender<>();

  @BeforeAll
  static void start() {
    node = InMemoryNode.start("RequestTagsTest", "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void capture() {
    attach("meridian.access", access);
    attach("meridian.error", errors);
    attach("meridian.exception", exceptions);
  }

  @AfterEach
  void release() {
    node.logs().failing(null);
    for (String name : List.of("meridian.access", "meridian.error", "meridian.exception")) {
      ((Logger) LoggerFactory.getLogger(name)).detachAndStopAllAppenders();
    }
  }

  private static void attach(String logger, ListAppender<ILoggingEvent> appender) {
    appender.start();
    ((Logger) LoggerFactory.getLogger(logger)).addAppender(appender);
  }

  @Test
  void anOpenTsdbErrorCarriesItsTagInTheErrorObjectAndInTheErrorLog() throws Exception {
    HttpResponse<String> response = node.send("GET", "/api/query?start=1h-ago", null);

    assertThat(response.statusCode()).isEqualTo(400);
    String tag = tagHeader(response);
    assertThat(json(response).at("/error/tag").asText()).isEqualTo(tag);
    ILoggingEvent line = lineWithTag(errors, tag);
    assertThat(line.getLevel().toString()).isEqualTo("WARN");
    assertThat(fields(line))
        .containsEntry("status", 400)
        .containsEntry("method", "GET")
        .containsEntry("path", "/api/query")
        .containsEntry("query", "start=1h-ago")
        .containsEntry("tenant", "default");
    assertThat(((JsonNode) fields(line).get("response")).at("/error/tag").asText()).isEqualTo(tag);
  }

  @Test
  void aPrometheusErrorCarriesItsTagBesideTheError() throws Exception {
    HttpResponse<String> response = node.send("GET", "/prometheus/api/v1/query", null);

    assertThat(response.statusCode()).isEqualTo(400);
    String tag = tagHeader(response);
    assertThat(json(response).get("status").asText()).isEqualTo("error");
    assertThat(json(response).get("tag").asText()).isEqualTo(tag);
    assertThat(fields(lineWithTag(errors, tag))).containsEntry("status", 400);
  }

  @Test
  void aLogExcerptErrorCarriesItsTagBesideTheApiErrors() throws Exception {
    HttpResponse<String> response = node.send("GET", "/v1/log_excerpts/abc/2000", null);

    assertThat(response.statusCode()).isEqualTo(400);
    String tag = tagHeader(response);
    assertThat(json(response).get("_api_error").isArray()).isTrue();
    assertThat(json(response).get("tag").asText()).isEqualTo(tag);
    lineWithTag(errors, tag);
  }

  @Test
  void anOpenMetricsRefusalAnsweredWith200IsTaggedInItsHeaderAndLoggedAsAnError()
      throws Exception {
    HttpResponse<String> response =
        node.send("POST", "/v1.0/projects/tags/jobs", "{\"jobName\":\"none\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    String tag = tagHeader(response);
    assertThat(json(response).at("/header/isSuccessful").asBoolean()).isFalse();
    assertThat(json(response).at("/header/tag").asText()).isEqualTo(tag);
    assertThat(fields(lineWithTag(errors, tag))).containsEntry("tenant", "tags");
  }

  @Test
  void anUnexpectedFailureLogsItsStackTraceWithTheTagTheClientGot() throws Exception {
    node.logs().failing(new IllegalStateException("boom in the log store"));

    HttpResponse<String> response = node.send("GET", "/v1/log_excerpts/1000/2000", null);

    assertThat(response.statusCode()).isEqualTo(500);
    String tag = tagHeader(response);
    assertThat(json(response).get("tag").asText()).isEqualTo(tag);
    ILoggingEvent exception = lineWithTag(exceptions, tag);
    assertThat(exception.getLevel().toString()).isEqualTo("ERROR");
    assertThat(exception.getThrowableProxy().getMessage()).isEqualTo("boom in the log store");
    assertThat(lineWithTag(errors, tag).getLevel().toString()).isEqualTo("ERROR");
  }

  @Test
  void everyRequestHasAnAccessLineWithoutSecrets() throws Exception {
    HttpResponse<String> response =
        node.send(
            "POST",
            "/api/put?api_key=s3cret&details",
            point("tags.access", 1700000000, "1"),
            Projects.APP_KEY_HEADER,
            "not-logged",
            "User-Agent",
            "tags-test/1.0");

    assertThat(response.statusCode()).isEqualTo(200);
    String tag = tagHeader(response);
    ILoggingEvent line = lineWithTag(access, tag);
    assertThat(line.getLevel().toString()).isEqualTo("INFO");
    Map<String, Object> fields = fields(line);
    assertThat(fields)
        .containsEntry("method", "POST")
        .containsEntry("path", "/api/put")
        .containsEntry("query", "api_key=***&details")
        .containsEntry("status", 200)
        .containsEntry("bytes", (long) response.body().getBytes().length)
        .containsEntry("tenant", "default")
        .containsEntry("user_agent", "tags-test/1.0")
        .containsKeys("duration_ms", "remote");
    assertThat(line.getFormattedMessage() + fields).doesNotContain("s3cret", "not-logged");
    assertThat(errors.list).noneMatch(e -> tag.equals(fields(e).get("tag")));
  }

  @Test
  void aStreamedAnswerIsLoggedWithTheBytesItSent() throws Exception {
    assertThat(
            node.send(
                    "POST",
                    "/v1/log_excerpts",
                    "{\"timestamp\":5000,\"ip\":\"10.0.0.1\",\"pid\":1,\"service\":\"api\","
                        + "\"level\":1,\"msg\":\"streamed\"}")
                .statusCode())
        .isLessThan(300);
    HttpResponse<String> response = node.send("GET", "/v1/log_excerpts/4000/6000", null);

    assertThat(response.statusCode()).isEqualTo(200);
    String tag = tagHeader(response);
    assertThat(fields(lineWithTag(access, tag)))
        .containsEntry("bytes", (long) response.body().getBytes().length);
  }

  @Test
  void answersTheGateGivesItselfAreTaggedAndLogged() throws Exception {
    try (InMemoryNode joining =
        InMemoryNode.start("RequestTagsTestJoining", "", MemberStatus::joining)) {
      HttpResponse<String> response = joining.send("GET", "/api/version", null);

      assertThat(response.statusCode()).isEqualTo(503);
      String tag = tagHeader(response);
      assertThat(json(response).at("/error/tag").asText()).isEqualTo(tag);
      assertThat(fields(lineWithTag(errors, tag))).containsEntry("status", 503);
      assertThat(fields(lineWithTag(access, tag))).containsEntry("status", 503);
    }
  }

  @Test
  void tagsAreRandomUuids() throws Exception {
    String a = RequestLog.newTag();
    String b = RequestLog.newTag();

    assertThat(a).isNotEqualTo(b);
    assertThat(UUID.fromString(a).version()).isEqualTo(4);
    assertThat(UUID.fromString(a).variant()).isEqualTo(2);
  }

  @Test
  void credentialsInQueriesAreMasked() throws Exception {
    assertThat(RequestLog.masked("token=abc&start=1h-ago&X-TC-APP-KEY=k&password=p"))
        .isEqualTo("token=***&start=1h-ago&X-TC-APP-KEY=***&password=***");
    assertThat(RequestLog.masked("m=sum:keys.count&start=1")).isEqualTo("m=sum:keys.count&start=1");
  }

  private static String tagHeader(HttpResponse<String> response) {
    Optional<String> tag = response.headers().firstValue(RequestLog.TAG_HEADER);
    assertThat(tag).as("the %s header", RequestLog.TAG_HEADER).isPresent();
    return tag.get();
  }

  /** The line of {@code appender} with {@code tag}, waiting for it as lines are written async. */
  private static ILoggingEvent lineWithTag(ListAppender<ILoggingEvent> appender, String tag)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      synchronized (appender) {
        for (ILoggingEvent event : List.copyOf(appender.list)) {
          if (tag.equals(fields(event).get("tag"))) {
            return event;
          }
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no log line with tag " + tag + " in " + appender.list);
  }

  private static Map<String, Object> fields(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    return pairs == null
        ? Map.of()
        : pairs.stream()
            .filter(p -> p.value != null)
            .collect(Collectors.toMap(p -> p.key, p -> p.value, (a, b) -> b));
  }
}
