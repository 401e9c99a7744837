package io.meridian.protocol.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogEntryParserTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String MESSAGE =
      "{\"timestamp\":1364133380023,\"ip\":\"10.1.254.33\",\"pid\":2345,\"service\":\"auth\","
          + "\"level\":1,\"msg\":\"Blah blah blah...\"}";

  private static final String REQUEST =
      "{\"timestamp\":1364133380197,\"ip\":\"10.1.254.33\",\"pid\":2712,\"service\":\"api\","
          + "\"level\":1,\"status\":200,\"method\":\"GET\",\"path\":\"/v1/foo_bars?baz=quux\","
          + "\"remote_ip\":\"192.168.0.1\",\"runtime\":12.5,\"db_runtime\":3,\"view_runtime\":1.25}";

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<String> problems(JsonNode node) {
    var result = LogEntryParser.parse(node);
    assertThat(result).isInstanceOf(LogEntryParser.Rejected.class);
    return ((LogEntryParser.Rejected) result).problems();
  }

  private static LogEntry accepted(JsonNode node) {
    var result = LogEntryParser.parse(node);
    assertThat(result).isInstanceOf(LogEntryParser.Accepted.class);
    return ((LogEntryParser.Accepted) result).entry();
  }

  @Test
  void messageEntryBecomesALogEntryWithItsCompactJson() {
    var entry = accepted(json(MESSAGE));

    assertThat(entry).isEqualTo(new LogEntry(1364133380023L, "auth", 1, MESSAGE));
  }

  @Test
  void requestCycleEntryWithoutMsgIsAccepted() {
    var entry = accepted(json(REQUEST));

    assertThat(entry.service()).isEqualTo("api");
    assertThat(entry.json()).isEqualTo(REQUEST);
  }

  @Test
  void extraAttributesAndMultiLineMessagesAreKeptVerbatimAndInOrder() {
    var node = json(MESSAGE);
    node.put("msg", "line one\nline two\n\tat Foo.bar()");
    node.put("zeta", "z");
    node.putObject("custom").put("nested", true);
    node.put("alpha", 1.5);

    var entry = accepted(node);

    assertThat(entry.json())
        .isEqualTo(
            "{\"timestamp\":1364133380023,\"ip\":\"10.1.254.33\",\"pid\":2345,\"service\":\"auth\",\"level\":1,\"msg\":\"line"
                + " one\\n"
                + "line two\\n"
                + "\\tat Foo.bar()\",\"zeta\":\"z\",\"custom\":{\"nested\":true},\"alpha\":1.5}");
  }

  @Test
  void optionalRequestCycleAttributesOfTheirTypeAreAccepted() {
    var node = json(REQUEST);
    node.putObject("params").put("id", "sudfg7634gsidhjf");
    node.put("token", "t");
    node.put("username", "u");
    node.put("cache_control", "no-cache");
    node.put("metadata", "m");
    node.put("filter", ":x-api-token-required");
    node.put("exception_message", "boom");
    node.putArray("_api_error").add("X-API-Token is missing");
    node.putArray("exception_backtrace").add("a.rb:1");
    node.putNull("username");

    assertThat(accepted(node).json()).contains("\"_api_error\":[\"X-API-Token is missing\"]");
  }

  @Test
  void everyMissingRequiredAttributeIsReported() {
    assertThat(problems(json("{\"msg\":\"hi\"}")))
        .containsExactly(
            "timestamp is required",
            "ip is required",
            "pid is required",
            "service is required",
            "level is required");
  }

  @Test
  void anEntryWithoutMsgNeedsTheRequestCycleAttributes() {
    var node = json(MESSAGE);
    node.remove("msg");

    assertThat(problems(node))
        .containsExactly(
            "status is required",
            "method is required",
            "path is required",
            "remote_ip is required",
            "runtime is required",
            "db_runtime is required",
            "view_runtime is required");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "timestamp|1.5|timestamp must be an integer, got 1.5",
        "timestamp|\"1364133380023\"|timestamp must be an integer, got \"1364133380023\"",
        "timestamp|99999999999999999999999|timestamp must be an integer, got"
            + " 99999999999999999999999",
        "ip|1|ip must be a string, got 1",
        "pid|\"2345\"|pid must be an integer, got \"2345\"",
        "service|null|service must be a string, got null",
        "level|\"x\"|level must be an integer from 0 to 5, got \"x\"",
        "level|6|level must be an integer from 0 to 5, got 6",
        "level|-1|level must be an integer from 0 to 5, got -1",
        "level|1.0|level must be an integer from 0 to 5, got 1.0",
        "msg|42|msg must be a string, got 42",
        "msg|null|msg must be a string, got null",
        "params|[]|params must be an object, got []",
        "token|1|token must be a string, got 1",
        "username|true|username must be a string, got true",
        "cache_control|{}|cache_control must be a string, got {}",
        "metadata|1|metadata must be a string, got 1",
        "filter|1|filter must be a string, got 1",
        "exception_message|1|exception_message must be a string, got 1",
        "_api_error|\"e\"|_api_error must be an array, got \"e\"",
        "exception_backtrace|{}|exception_backtrace must be an array, got {}",
      })
  void mistypedAttributesOfMessageEntriesAreReported(String name, String value, String problem)
      throws Exception {
    var node = json(MESSAGE);
    node.set(name, MAPPER.readTree(value));

    assertThat(problems(node)).containsExactly(problem);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "status|\"200\"|status must be an integer, got \"200\"",
        "status|200.5|status must be an integer, got 200.5",
        "method|1|method must be a string, got 1",
        "path|[]|path must be a string, got []",
        "remote_ip|1|remote_ip must be a string, got 1",
        "runtime|\"12\"|runtime must be a number, got \"12\"",
        "db_runtime|null|db_runtime must be a number, got null",
        "view_runtime|true|view_runtime must be a number, got true",
      })
  void mistypedAttributesOfRequestCycleEntriesAreReported(String name, String value, String problem)
      throws Exception {
    var node = json(REQUEST);
    node.set(name, MAPPER.readTree(value));

    assertThat(problems(node)).containsExactly(problem);
  }

  @Test
  void integralRuntimesAreNumbersToo() {
    var node = json(REQUEST);
    node.put("runtime", 12);

    assertThat(accepted(node).json()).contains("\"runtime\":12");
  }

  @Test
  void somethingOtherThanAnObjectIsRejected() throws Exception {
    assertThat(problems(MAPPER.readTree("[1]")))
        .containsExactly("a log entry must be a JSON object, got [1]");
    assertThat(problems(null)).containsExactly("a log entry must be a JSON object, got nothing");
  }
}
