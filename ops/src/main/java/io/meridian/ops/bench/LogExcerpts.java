package io.meridian.ops.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a log-excerpt response, {@code {"log_excerpt":{"_links":…,"from":…,"to":…,"entries":[…]}}},
 * where each entry is a string holding one JSON object.
 */
public final class LogExcerpts {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LogExcerpts() {}

  /** The entry strings of a response, in the order given. */
  public static List<String> entries(String body) {
    JsonNode entries;
    try {
      entries = MAPPER.readTree(body).path("log_excerpt").path("entries");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a log excerpt: " + abbreviate(body), e);
    }
    if (!entries.isArray()) {
      throw new IllegalArgumentException("no log_excerpt.entries array: " + abbreviate(body));
    }
    List<String> texts = new ArrayList<>(entries.size());
    for (JsonNode entry : entries) {
      if (!entry.isTextual()) {
        throw new IllegalArgumentException("an entry is not a string: " + entry);
      }
      texts.add(entry.textValue());
    }
    return texts;
  }

  /** Each entry of a response parsed as the JSON object it holds. */
  public static List<JsonNode> parsedEntries(String body) {
    List<JsonNode> parsed = new ArrayList<>();
    for (String entry : entries(body)) {
      try {
        parsed.add(MAPPER.readTree(entry));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("an entry is not JSON: " + entry, e);
      }
    }
    return parsed;
  }

  private static String abbreviate(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "…";
  }
}
