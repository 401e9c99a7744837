package io.meridian.protocol.opentsdb;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * OpenTSDB's error object, written as {@code {"error": {...}}}: the HTTP status code, a message,
 * optional details and an optional stack trace (off unless configured).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TsdbError(int code, String message, String details, String trace) {

  /** The JSON envelope OpenTSDB puts the error object in. */
  public record Envelope(TsdbError error) {}

  public Envelope envelope() {
    return new Envelope(this);
  }
}
