package io.meridian.node.annotation;

import io.meridian.protocol.CborSerializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OpenTSDB annotation: a note about an event at a time, either on one series (its TSUID) or
 * global (empty TSUID). An annotation is identified by its TSUID and start time.
 *
 * @param tsuid the upper-case TSUID, or empty for a global annotation
 * @param startTime when the event began, Unix epoch seconds, at least 1
 * @param endTime when it ended, Unix epoch seconds; 0 when not set
 * @param description a short description; empty when not set
 * @param notes details; empty when not set
 * @param custom user key/value pairs, sorted by key; null when not set (as OpenTSDB, which tells
 *     "not set" and "empty" apart)
 */
public record Annotation(
    String tsuid,
    long startTime,
    long endTime,
    String description,
    String notes,
    Map<String, String> custom)
    implements CborSerializable {

  public Annotation {
    tsuid = tsuid == null ? "" : tsuid;
    description = description == null ? "" : description;
    notes = notes == null ? "" : notes;
    custom = custom == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(custom));
  }

  /** The identity of an annotation: its TSUID (empty for global) and start time in seconds. */
  public record Key(String tsuid, long startTime) implements CborSerializable {

    public Key {
      Objects.requireNonNull(tsuid, "tsuid");
    }
  }

  public Key key() {
    return new Key(tsuid, startTime);
  }

  /** Whether the annotation is global rather than about one series. */
  public boolean global() {
    return tsuid.isEmpty();
  }

  /**
   * Whether the annotation's time span meets {@code [startMs, endMs]}; an annotation without end
   * time is an instant at its start.
   */
  public boolean overlaps(long startMs, long endMs) {
    long from = startTime * 1000;
    long to = Math.max(startTime, endTime) * 1000;
    return from <= endMs && to >= startMs;
  }

  /** An approximation of the annotation's stored size, for the store's byte limit. */
  long approximateBytes() {
    long bytes = 32 + utf8Length(tsuid) + utf8Length(description) + utf8Length(notes);
    if (custom != null) {
      for (Map.Entry<String, String> entry : custom.entrySet()) {
        bytes += 2 + utf8Length(entry.getKey()) + utf8Length(entry.getValue());
      }
    }
    return bytes;
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return bytes;
  }
}
