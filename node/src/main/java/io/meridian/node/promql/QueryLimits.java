package io.meridian.node.promql;

/**
 * Guards one query against Prometheus' limits: how many samples it holds in memory at once ({@code
 * --query.max-samples}) and how long it may run ({@code --query.timeout}).
 */
final class QueryLimits {

  static final String TOO_MANY_SAMPLES =
      "query processing would load too many samples into memory in query execution";

  private final long maxSamples;
  private final long deadlineNanos;
  private long held;

  QueryLimits(long maxSamples, long timeoutNanos, long startNanos) {
    this.maxSamples = maxSamples;
    this.deadlineNanos = startNanos + timeoutNanos;
  }

  /** Keeps {@code samples} more in memory until the query ends. */
  void hold(long samples) {
    held += samples;
    if (held > maxSamples) {
      throw new PromQlException(PromQlException.Kind.EXECUTION, TOO_MANY_SAMPLES);
    }
  }

  /** Checks that {@code samples} more, needed only for the current step, would still fit. */
  void checkTransient(long samples) {
    if (held + samples > maxSamples) {
      throw new PromQlException(PromQlException.Kind.EXECUTION, TOO_MANY_SAMPLES);
    }
  }

  /** Fails the query once it has run longer than the timeout. */
  void checkDeadline() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw timedOut();
    }
  }

  static PromQlException timedOut() {
    return new PromQlException(
        PromQlException.Kind.TIMEOUT, "query timed out in expression evaluation");
  }
}
