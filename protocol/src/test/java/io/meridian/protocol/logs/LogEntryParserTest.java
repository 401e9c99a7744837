package io.meridian.protocol.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * A valid entry becomes a {@link LogEntry} carrying its compact JSON with every attribute; an
 * invalid one yields all its problems and no entry.
 */
class LogEntryParserTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static LogEntryParser.Result parse(String json) throws Exception {
    return LogEntryParser.parse(MAPPER.readTree(json));
  }

  @Test
  void aSimpleMessageKeepsExtraAttributesInCompactJson() throws Exception {
    LogEntryParser.Result result =
        parse(
            "{ \"timestamp\": 1364133380023, \"ip\": \"10.1.254.33\", \"pid\": 2345,"
                + " \"service\": \"api\", \"level\": 4, \"msg\": \"line 1\\nline 2\","
                + " \"zone\": \"eu-1\" }");

    assertThat(result.problems()).isEmpty();
    assertThat(result.entry())
        .hasValue(
            new LogEntry(
                1364133380023L,
                "api",
                4,
                "{\"timestamp\":1364133380023,\"ip\":\"10.1.254.33\",\"pid\":2345,"
                    + "\"service\":\"api\",\"level\":4,\"msg\":\"line 1\\nline 2\","
                    + "\"zone\":\"eu-1\"}"));
  }

  @Test
  void aRequestCycleEntryNeedsItsAttributesInsteadOfMsg() throws Exception {
    String common = "\"timestamp\":1,\"ip\":\"10.0.0.1\",\"pid\":1,\"service\":\"s\",\"level\":0";

    assertThat(
            parse(
                    "{"
                        + common
                        + ",\"status\":200,\"method\":\"GET\",\"path\":\"/v1/x\","
                        + "\"remote_ip\":\"r\",\"runtime\":1,\"db_runtime\":0.5,"
                        + "\"view_runtime\":0}")
                .entry())
        .isPresent();
    assertThat(parse("{" + common + "}").problems())
        .hasSize(7)
        .allSatisfy(p -> assertThat(p).endsWith("(a request-cycle entry, without \"msg\")"));
  }

  @Test
  void integersMustBeIntegralAndLevelWithinRange() throws Exception {
    LogEntryParser.Result result =
        parse(
            "{\"timestamp\":1.5,\"ip\":\"10.0.0.1\",\"pid\":2.0,\"service\":\"s\",\"level\":6,\"msg\":\"m\"}");

    assertThat(result.entry()).isEmpty();
    assertThat(result.problems())
        .containsExactly(
            "\"timestamp\" must be an integer",
            "\"pid\" must be an integer",
            "\"level\" must be 0 to 5 (DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN)");
  }

  @Test
  void aNonObjectIsRefused() throws Exception {
    assertThat(parse("[1]").problems()).containsExactly("a log entry must be a JSON object");
  }
}
