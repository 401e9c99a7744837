package io.meridian.ops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Data points of a bulk import file, one per line, in either of OpenTSDB's forms: the telnet-style
 * {@code [put] metric timestamp value tag=value…} or a JSON object as {@code /api/put} takes it.
 * Blank lines and lines starting with {@code #} are skipped.
 */
final class PointLines {

  private PointLines() {}

  /** A line's data point, or the reason it is not one. */
  record Parsed(ObjectNode point, String error) {}

  static boolean isPoint(String line) {
    String text = line.strip();
    return !text.isEmpty() && !text.startsWith("#");
  }

  static Parsed parse(String line) {
    String text = line.strip();
    if (text.startsWith("{")) {
      try {
        JsonNode json = ClientCommand.JSON.readTree(text);
        return json.isObject()
            ? new Parsed((ObjectNode) json, null)
            : new Parsed(null, "not a JSON object");
      } catch (JsonProcessingException e) {
        return new Parsed(null, "invalid JSON: " + e.getOriginalMessage());
      }
    }
    String[] words = text.split("\\s+");
    int first = words[0].equals("put") ? 1 : 0;
    if (words.length - first < 4) {
      return new Parsed(null, "expected: metric timestamp value tag=value…");
    }
    return point(
        words[first],
        words[first + 1],
        words[first + 2],
        Arrays.copyOfRange(words, first + 3, words.length));
  }

  /** A data point from its parts; the node checks names and values, as for any put. */
  static Parsed point(String metric, String timestamp, String value, String[] tags) {
    ObjectNode point = ClientCommand.JSON.createObjectNode();
    point.put("metric", metric);
    try {
      point.put("timestamp", Long.parseLong(timestamp));
    } catch (NumberFormatException e) {
      return new Parsed(null, "invalid timestamp: " + timestamp);
    }
    try {
      point.put("value", Long.parseLong(value));
    } catch (NumberFormatException notLong) {
      try {
        point.put("value", Double.parseDouble(value));
      } catch (NumberFormatException e) {
        return new Parsed(null, "invalid value: " + value);
      }
    }
    ObjectNode tagObject = point.putObject("tags");
    for (String tag : tags) {
      int equals = tag.indexOf('=');
      if (equals <= 0) {
        return new Parsed(null, "invalid tag (want name=value): " + tag);
      }
      tagObject.put(tag.substring(0, equals), tag.substring(equals + 1));
    }
    return new Parsed(point, null);
  }
}
