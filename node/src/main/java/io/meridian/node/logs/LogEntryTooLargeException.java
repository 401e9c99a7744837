package io.meridian.node.logs;

/**
 * A log entry larger than one append command may carry ({@code meridian.logs.max-append-bytes});
 * nothing of its request was stored. The log-excerpt API answers 413.
 */
public final class LogEntryTooLargeException extends IllegalArgumentException {

  public LogEntryTooLargeException(String message) {
    super(message);
  }
}
