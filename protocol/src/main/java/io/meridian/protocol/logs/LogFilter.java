package io.meridian.protocol.logs;

import io.meridian.protocol.CborSerializable;
import java.util.Optional;

/**
 * Which entries of a range a read returns (the GET extension filters): a service name, a minimum
 * level, a text the entry's JSON must contain. Empty parts do not filter.
 */
public record LogFilter(Optional<String> service, Optional<Integer> minLevel, Optional<String> text)
    implements CborSerializable {

  public static LogFilter none() {
    return new LogFilter(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public boolean accepts(LogEntry entry) {
    return service.map(entry.service()::equals).orElse(true)
        && minLevel.map(min -> entry.level() >= min).orElse(true)
        && text.map(entry.json()::contains).orElse(true);
  }
}
