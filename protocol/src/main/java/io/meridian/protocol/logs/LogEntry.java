package io.meridian.protocol.logs;

import io.meridian.protocol.CborSerializable;
import java.util.Objects;

/**
 * One log entry as the log-excerpt API stores and returns it: its timestamp (UTC milliseconds), the
 * attributes a filter needs ({@code service}, {@code level} 0–5), and the whole entry as the JSON
 * object text it is served as (every attribute, extra ones included, in the order given).
 */
public record LogEntry(long timestampMs, String service, int level, String json)
    implements CborSerializable {

  public LogEntry {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(json, "json");
  }
}
