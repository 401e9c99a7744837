package io.meridian.protocol.promql;

/**
 * A PromQL expression that does not parse or does not type-check, with the 0-based character
 * position of the problem. The Prometheus API answers it as 400 {@code bad_data}.
 */
public final class PromQlParseException extends RuntimeException {

  private final int position;

  public PromQlParseException(String message, int position) {
    super(message);
    this.position = position;
  }

  /** 0-based character offset in the expression where the problem was found. */
  public int position() {
    return position;
  }
}
