package io.meridian.node.promql;

/**
 * Why a PromQL evaluation failed, with the Prometheus API {@code errorType} and status it is
 * answered with.
 */
public class PromQlException extends RuntimeException {

  /** The Prometheus API's error types for evaluation failures. */
  public enum Kind {
    /** 422 {@code execution}: the query cannot be evaluated, e.g. too many samples. */
    EXECUTION,
    /** 503 {@code timeout}: evaluation took longer than the query timeout. */
    TIMEOUT,
    /** 400 {@code bad_data}: the parameters are invalid, e.g. too many points per series. */
    BAD_DATA
  }

  private final Kind kind;

  public PromQlException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
