package io.meridian.protocol.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Validates one POSTed log entry (a JSON object) against the log-excerpt spec and turns it into a
 * {@link LogEntry}: message entries carry {@code msg}, entries without it are request-cycle entries
 * with their own required attributes. Every problem is reported, not only the first, so a client
 * fixes its entry in one round. Extra attributes are kept as they are.
 */
public final class LogEntryParser {

  /** What parsing an entry gave: the entry, or the problems that made it invalid. */
  public sealed interface Result permits Accepted, Rejected {}

  /** A valid entry. */
  public record Accepted(LogEntry entry) implements Result {}

  /** An invalid entry: each problem a sentence naming the attribute. */
  public record Rejected(List<String> problems) implements Result {
    public Rejected {
      problems = List.copyOf(problems);
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private enum Type {
    INTEGER("an integer", node -> node.isIntegralNumber() && node.canConvertToLong()),
    NUMBER("a number", JsonNode::isNumber),
    STRING("a string", JsonNode::isTextual),
    OBJECT("an object", JsonNode::isObject),
    ARRAY("an array", JsonNode::isArray);

    private final String description;
    private final Predicate<JsonNode> accepts;

    Type(String description, Predicate<JsonNode> accepts) {
      this.description = description;
      this.accepts = accepts;
    }
  }

  private LogEntryParser() {}

  /** Validates {@code node} as a log entry. */
  public static Result parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      return new Rejected(
          List.of("a log entry must be a JSON object, got " + describe(node, "nothing")));
    }
    List<String> problems = new ArrayList<>();
    required(node, "timestamp", Type.INTEGER, problems);
    required(node, "ip", Type.STRING, problems);
    required(node, "pid", Type.INTEGER, problems);
    required(node, "service", Type.STRING, problems);
    JsonNode level = node.get("level");
    if (level == null) {
      problems.add("level is required");
    } else if (!level.isIntegralNumber()
        || !level.canConvertToInt()
        || level.asInt() < 0
        || level.asInt() > 5) {
      problems.add("level must be an integer from 0 to 5, got " + level);
    }
    if (node.has("msg")) {
      required(node, "msg", Type.STRING, problems);
    } else {
      // Without msg the entry describes a whole request cycle, whose attributes are then required.
      required(node, "status", Type.INTEGER, problems);
      required(node, "method", Type.STRING, problems);
      required(node, "path", Type.STRING, problems);
      required(node, "remote_ip", Type.STRING, problems);
      required(node, "runtime", Type.NUMBER, problems);
      required(node, "db_runtime", Type.NUMBER, problems);
      required(node, "view_runtime", Type.NUMBER, problems);
    }
    optional(node, "params", Type.OBJECT, problems);
    for (String name :
        List.of("token", "username", "cache_control", "metadata", "filter", "exception_message")) {
      optional(node, name, Type.STRING, problems);
    }
    optional(node, "_api_error", Type.ARRAY, problems);
    optional(node, "exception_backtrace", Type.ARRAY, problems);
    if (!problems.isEmpty()) {
      return new Rejected(problems);
    }
    return new Accepted(
        new LogEntry(
            node.get("timestamp").asLong(),
            node.get("service").asText(),
            level.asInt(),
            compact(node)));
  }

  private static void required(JsonNode entry, String name, Type type, List<String> problems) {
    JsonNode value = entry.get(name);
    if (value == null) {
      problems.add(name + " is required");
    } else if (!type.accepts.test(value)) {
      problems.add(name + " must be " + type.description + ", got " + value);
    }
  }

  /** An optional attribute may be absent or null (a logger's nil), else must have its type. */
  private static void optional(JsonNode entry, String name, Type type, List<String> problems) {
    JsonNode value = entry.get(name);
    if (value != null && !value.isNull() && !type.accepts.test(value)) {
      problems.add(name + " must be " + type.description + ", got " + value);
    }
  }

  private static String describe(JsonNode node, String absent) {
    return node == null || node.isMissingNode() ? absent : node.toString();
  }

  private static String compact(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree always serializes", e);
    }
  }
}
