package io.meridian.http.logs;

import static io.meridian.http.logs.LogEntries.apiErrors;
import static io.meridian.http.logs.LogEntries.entries;
import static io.meridian.http.logs.LogEntries.excerpt;
import static io.meridian.http.logs.LogEntries.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a posted entry can be invalid is a 400 whose {@code _api_error} names the attribute,
 * and a bulk post with any invalid entry stores nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogEntryValidationTest {

  private static final String COMMON =
      "\"timestamp\":1000,\"ip\":\"10.0.0.1\",\"pid\":7,\"service\":\"api\",\"level\":1";
  private static final String CYCLE =
      "\"status\":200,\"method\":\"GET\",\"path\":\"/v1/x\",\"remote_ip\":\"1.2.3.4\","
          + "\"runtime\":1.5,\"db_runtime\":1,\"view_runtime\":0.5";

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node = InMemoryNode.start("LogEntryValidationTest", "");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  /** A simple entry without {@code name}. */
  private static String without(String name) {
    return "{" + remove(COMMON + ",\"msg\":\"m\"", name) + "}";
  }

  /** A request-cycle entry without {@code name}. */
  private static String cycleWithout(String name) {
    return "{" + remove(COMMON + "," + CYCLE, name) + "}";
  }

  private static String remove(String members, String name) {
    return members.replaceAll("\"" + name + "\":(\"[^\"]*\"|[^,]*),?", "").replaceAll(",$", "");
  }

  /** A simple entry with {@code name} set to {@code json}. */
  private static String with(String name, String json) {
    return "{" + remove(COMMON + ",\"msg\":\"m\"", name) + ",\"" + name + "\":" + json + "}";
  }

  static Stream<Arguments> invalidEntries() {
    return Stream.of(
        Arguments.of(without("timestamp"), "\"timestamp\" is required"),
        Arguments.of(without("ip"), "\"ip\" is required"),
        Arguments.of(without("pid"), "\"pid\" is required"),
        Arguments.of(without("service"), "\"service\" is required"),
        Arguments.of(without("level"), "\"level\" is required"),
        Arguments.of(with("timestamp", "\"1000\""), "\"timestamp\" must be an integer"),
        Arguments.of(with("timestamp", "1000.5"), "\"timestamp\" must be an integer"),
        Arguments.of(with("ip", "10"), "\"ip\" must be a string"),
        Arguments.of(with("ip", "\"10.0.0.256\""), "\"ip\" must be an IPv4 or IPv6 address"),
        Arguments.of(
            with("ip", "\"'; DROP TABLE logs; --\""), "\"ip\" must be an IPv4 or IPv6 address"),
        Arguments.of(with("ip", "\"fe80::1::2\""), "\"ip\" must be an IPv4 or IPv6 address"),
        Arguments.of(with("pid", "\"7\""), "\"pid\" must be an integer"),
        Arguments.of(with("service", "[]"), "\"service\" must be a string"),
        Arguments.of(with("level", "\"1\""), "\"level\" must be an integer"),
        Arguments.of(with("level", "6"), "\"level\" must be 0 to 5"),
        Arguments.of(with("level", "-1"), "\"level\" must be 0 to 5"),
        Arguments.of(with("msg", "42"), "\"msg\" must be a string"),
        Arguments.of(with("msg", "null"), "\"msg\" must be a string"),
        Arguments.of(with("params", "\"a=b\""), "\"params\" must be an object"),
        Arguments.of(with("token", "1"), "\"token\" must be a string"),
        Arguments.of(with("username", "1"), "\"username\" must be a string"),
        Arguments.of(with("cache_control", "1"), "\"cache_control\" must be a string"),
        Arguments.of(with("metadata", "{}"), "\"metadata\" must be a string"),
        Arguments.of(with("filter", "1"), "\"filter\" must be a string"),
        Arguments.of(with("exception_message", "1"), "\"exception_message\" must be a string"),
        Arguments.of(with("_api_error", "\"x\""), "\"_api_error\" must be an array"),
        Arguments.of(
            with("exception_backtrace", "\"x\""), "\"exception_backtrace\" must be an array"),
        Arguments.of(cycleWithout("status"), "\"status\" is required (a request-cycle entry"),
        Arguments.of(cycleWithout("method"), "\"method\" is required (a request-cycle entry"),
        Arguments.of(cycleWithout("path"), "\"path\" is required (a request-cycle entry"),
        Arguments.of(cycleWithout("remote_ip"), "\"remote_ip\" is required (a request-cycle entry"),
        Arguments.of(cycleWithout("runtime"), "\"runtime\" is required (a request-cycle entry"),
        Arguments.of(
            cycleWithout("db_runtime"), "\"db_runtime\" is required (a request-cycle entry"),
        Arguments.of(
            cycleWithout("view_runtime"), "\"view_runtime\" is required (a request-cycle entry"),
        Arguments.of(
            "{" + COMMON + "," + CYCLE.replace("\"status\":200", "\"status\":\"200\"") + "}",
            "\"status\" must be an integer"),
        Arguments.of(
            "{" + COMMON + "," + CYCLE.replace("\"runtime\":1.5", "\"runtime\":\"1.5\"") + "}",
            "\"runtime\" must be a number"),
        Arguments.of("\"just a string\"", "a log entry must be a JSON object"),
        Arguments.of("{\"timestamp\":", "the body is not valid JSON"),
        Arguments.of("", "the body is empty"),
        Arguments.of(message(1, "a") + " " + message(2, "b"), "the body is not valid JSON"));
  }

  @ParameterizedTest
  @MethodSource("invalidEntries")
  void anInvalidEntryIsA400NamingTheProblem(String body, String problem) {
    assertThat(apiErrors(node.send("POST", "/v1/log_excerpts", body), 400))
        .anySatisfy(message -> assertThat(message).startsWith(problem));
  }

  @Test
  void everyProblemOfAnEntryIsListed() {
    assertThat(apiErrors(node.send("POST", "/v1/log_excerpts", "{\"level\":9}"), 400))
        .contains(
            "\"timestamp\" is required",
            "\"ip\" is required",
            "\"pid\" is required",
            "\"service\" is required",
            "\"level\" must be 0 to 5 (DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN)");
  }

  @Test
  void aBulkArrayWithOneInvalidEntryStoresNothingAndNamesItsIndex() {
    String body = "[" + message(5001, "ok") + "," + without("ip") + "," + with("level", "7") + "]";

    assertThat(apiErrors(node.send("POST", "/v1/log_excerpts", body), 400))
        .containsExactly(
            "entry 1: \"ip\" is required",
            "entry 2: \"level\" must be 0 to 5 (DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN)");
    assertThat(entries(excerpt(node.send("GET", "/v1/log_excerpts/5000/6000", null)))).isEmpty();
  }

  @Test
  void anNdjsonBodyWithABadLineStoresNothingAndNamesTheLine() {
    String body = message(7001, "ok") + "\n\n{not json\n" + without("pid") + "\n";

    assertThat(
            apiErrors(
                node.send("POST", "/v1/log_excerpts", body, "Content-Type", "application/x-ndjson"),
                400))
        .satisfiesExactly(
            first -> assertThat(first).startsWith("line 3: not valid JSON"),
            second -> assertThat(second).isEqualTo("line 4: \"pid\" is required"));
    assertThat(entries(excerpt(node.send("GET", "/v1/log_excerpts/7000/8000", null)))).isEmpty();
  }
}
