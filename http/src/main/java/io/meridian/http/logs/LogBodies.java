package io.meridian.http.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogEntryParser;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * Reads the entries of a {@code POST /v1/log_excerpts} body: one JSON object (the seed's form), a
 * JSON array of objects, or NDJSON (one object per line, blank lines ignored). All or nothing: if
 * any entry is invalid, the problems of every invalid one are reported and none is returned.
 */
final class LogBodies {

  // Trailing tokens after the value ("{…} {…}") are an error, not silently dropped entries.
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private LogBodies() {}

  /**
   * The entries of a JSON body (an object or an array of objects); problems of an array's entries
   * name their index (from 0).
   *
   * @throws LogApiException 400 with every problem found
   */
  static List<LogEntry> json(String body) {
    JsonNode root = read(body, "the body");
    if (root.isArray()) {
      List<JsonNode> objects = new ArrayList<>();
      root.forEach(objects::add);
      return all(objects);
    }
    LogEntryParser.Result result = LogEntryParser.parse(root);
    if (result.entry().isEmpty()) {
      throw new LogApiException(StatusCodes.BAD_REQUEST, result.problems());
    }
    return List.of(result.entry().get());
  }

  /**
   * The entries of an NDJSON body; problems name their line (from 1).
   *
   * @throws LogApiException 400 with every problem found
   */
  static List<LogEntry> ndjson(String body) {
    List<String> problems = new ArrayList<>();
    List<LogEntry> entries = new ArrayList<>();
    String[] lines = body.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String where = "line " + (i + 1) + ": ";
      JsonNode node;
      try {
        node = MAPPER.readTree(lines[i]);
      } catch (JsonProcessingException e) {
        problems.add(where + "not valid JSON: " + e.getOriginalMessage());
        continue;
      }
      collect(node, where, entries, problems);
    }
    if (!problems.isEmpty()) {
      throw new LogApiException(StatusCodes.BAD_REQUEST, problems);
    }
    return entries;
  }

  private static List<LogEntry> all(List<JsonNode> nodes) {
    List<String> problems = new ArrayList<>();
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      collect(nodes.get(i), "entry " + i + ": ", entries, problems);
    }
    if (!problems.isEmpty()) {
      throw new LogApiException(StatusCodes.BAD_REQUEST, problems);
    }
    return entries;
  }

  private static void collect(
      JsonNode node, String where, List<LogEntry> entries, List<String> problems) {
    LogEntryParser.Result result = LogEntryParser.parse(node);
    result.entry().ifPresent(entries::add);
    result.problems().forEach(problem -> problems.add(where + problem));
  }

  private static JsonNode read(String text, String what) {
    if (text.isBlank()) {
      throw LogApiException.badRequest(
          what + " is empty: send a log entry as a JSON object, an array of them, or NDJSON");
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw LogApiException.badRequest(what + " is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
