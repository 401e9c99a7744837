package io.meridian.protocol.scrape;

/**
 * The result codes of the OpenMetrics jobs/targets/servers API ({@code header.resultCode} and
 * {@code header.resultMessage} of its envelope), as System Monitoring documents them. Every code
 * but {@link #SUCCESS} means nothing was changed.
 */
public enum ResultCode {
  SUCCESS(0),
  ALREADY_EXIST(-40001),
  BAD_INPUT_VALUE(-40002),
  INVALID_HOST_OR_PROJECT(-40004),
  NOT_FOUND_JOB(-40006),
  NOT_FOUND_TARGET(-40007),
  INTERNAL_SERVER_ERROR(-50000);

  private final int code;

  ResultCode(int code) {
    this.code = code;
  }

  /** The numeric {@code resultCode}. */
  public int code() {
    return code;
  }

  /** The {@code resultMessage}: the constant's name, as the API documents it. */
  public String message() {
    return name();
  }
}
