package io.meridian.protocol.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks one posted log entry against the log-excerpt API's rules and turns it into a {@link
 * LogEntry}. Every entry needs {@code timestamp} (integer ms), {@code ip} (string), {@code pid}
 * (integer), {@code service} (string) and {@code level} (integer 0–5). With {@code msg} (string) it
 * is a simple message; without, a request-cycle entry, which needs {@code status} (integer), {@code
 * method}, {@code path}, {@code remote_ip} (strings) and {@code runtime}, {@code db_runtime},
 * {@code view_runtime} (numbers). The optional request-cycle attributes are type-checked when
 * present; any other attribute is kept as given. The stored JSON is the object re-serialized
 * compactly.
 */
public final class LogEntryParser {

  /** The entry, or the problems that make it invalid (never both). */
  public record Result(Optional<LogEntry> entry, List<String> problems) {

    public Result {
      problems = List.copyOf(problems);
    }
  }

  private static final int MAX_LEVEL = 5;

  private LogEntryParser() {}

  public static Result parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      return new Result(Optional.empty(), List.of("a log entry must be a JSON object"));
    }
    List<String> problems = new ArrayList<>();
    require(node, "timestamp", "an integer", LogEntryParser::isIntegral, problems);
    if (require(node, "ip", "a string", JsonNode::isTextual, problems)
        && !isIpAddress(node.get("ip").asText())) {
      problems.add("\"ip\" must be an IPv4 or IPv6 address");
    }
    require(node, "pid", "an integer", LogEntryParser::isIntegral, problems);
    require(node, "service", "a string", JsonNode::isTextual, problems);
    if (require(node, "level", "an integer", LogEntryParser::isIntegral, problems)) {
      long level = node.get("level").asLong();
      if (level < 0 || level > MAX_LEVEL) {
        problems.add("\"level\" must be 0 to 5 (DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN)");
      }
    }
    if (node.has("msg")) {
      optional(node, "msg", "a string", JsonNode::isTextual, problems);
    } else {
      String cycle = " (a request-cycle entry, without \"msg\")";
      requireCycle(node, "status", "an integer", LogEntryParser::isIntegral, cycle, problems);
      requireCycle(node, "method", "a string", JsonNode::isTextual, cycle, problems);
      requireCycle(node, "path", "a string", JsonNode::isTextual, cycle, problems);
      requireCycle(node, "remote_ip", "a string", JsonNode::isTextual, cycle, problems);
      requireCycle(node, "runtime", "a number", JsonNode::isNumber, cycle, problems);
      requireCycle(node, "db_runtime", "a number", JsonNode::isNumber, cycle, problems);
      requireCycle(node, "view_runtime", "a number", JsonNode::isNumber, cycle, problems);
    }
    optional(node, "params", "an object", JsonNode::isObject, problems);
    for (String name :
        List.of("token", "username", "cache_control", "metadata", "filter", "exception_message")) {
      optional(node, name, "a string", JsonNode::isTextual, problems);
    }
    optional(node, "_api_error", "an array", JsonNode::isArray, problems);
    optional(node, "exception_backtrace", "an array", JsonNode::isArray, problems);
    if (!problems.isEmpty()) {
      return new Result(Optional.empty(), problems);
    }
    return new Result(
        Optional.of(
            new LogEntry(
                node.get("timestamp").asLong(),
                node.get("service").asText(),
                node.get("level").asInt(),
                node.toString())),
        List.of());
  }

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** An IPv4 or IPv6 address literal, checked without any name lookup. */
  static boolean isIpAddress(String text) {
    if (IPV4.matcher(text).matches()) {
      return true;
    }
    if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
      return false;
    }
    try {
      // A literal with colons is parsed, never looked up.
      return InetAddress.getByName(text) != null;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Integers only: {@code 1.0} is a float in JSON's eyes and in the seed's typing. */
  private static boolean isIntegral(JsonNode value) {
    return value.isIntegralNumber() && value.canConvertToLong();
  }

  /** Whether the required attribute is present with the right type; adds a problem if not. */
  private static boolean require(
      JsonNode node, String name, String type, Predicate<JsonNode> ok, List<String> problems) {
    if (!node.hasNonNull(name)) {
      problems.add("\"" + name + "\" is required");
      return false;
    }
    return optional(node, name, type, ok, problems);
  }

  private static void requireCycle(
      JsonNode node,
      String name,
      String type,
      Predicate<JsonNode> ok,
      String why,
      List<String> problems) {
    if (!node.hasNonNull(name)) {
      problems.add("\"" + name + "\" is required" + why);
    } else {
      optional(node, name, type, ok, problems);
    }
  }

  /** Whether the attribute is absent or of the right type; adds a problem if mistyped. */
  private static boolean optional(
      JsonNode node, String name, String type, Predicate<JsonNode> ok, List<String> problems) {
    JsonNode value = node.get(name);
    if (value != null && !ok.test(value)) {
      problems.add("\"" + name + "\" must be " + type);
      return false;
    }
    return true;
  }
}
