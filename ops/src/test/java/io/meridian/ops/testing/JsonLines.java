package io.meridian.ops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The JSON lines of a log file, as a node writes them (in the background, so tests wait). */
public final class JsonLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  /**
   * Waits up to {@code timeout} for the first line of {@code file} that {@code matching} accepts.
   */
  public static JsonNode await(Path file, Duration timeout, Predicate<JsonNode> matching)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Optional<JsonNode> line = read(file).stream().filter(matching).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching line in " + file + ": " + read(file));
  }

  /** The complete JSON lines of {@code file} (none if it does not exist yet). */
  public static List<JsonNode> read(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file).stream()
          .filter(l -> l.startsWith("{") && l.endsWith("}"))
          .map(JsonLines::parse)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
