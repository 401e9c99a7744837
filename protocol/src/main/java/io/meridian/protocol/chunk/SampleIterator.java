package io.meridian.protocol.chunk;

/**
 * A forward-only reader of (timestamp, value) samples in ascending timestamp order, as decoded from
 * a compressed chunk without materializing arrays. Call {@link #next()} before reading the first
 * sample; {@link #timestamp()} and {@link #value()} are undefined before that and after {@code
 * next()} returned false.
 */
public interface SampleIterator {

  /** Advances to the next sample; false when there is none (and on every later call). */
  boolean next();

  /** Milliseconds timestamp of the current sample. */
  long timestamp();

  /**
   * Value of the current sample, bit-exact as appended: NaN payloads (Prometheus' StaleNaN), the
   * sign of zero and subnormals are preserved.
   */
  double value();
}
