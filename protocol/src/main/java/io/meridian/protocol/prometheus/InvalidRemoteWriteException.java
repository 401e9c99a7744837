package io.meridian.protocol.prometheus;

/**
 * A remote-write request that cannot be stored: bad snappy framing, bad protobuf, or series whose
 * labels Prometheus would refuse. The API answers 400 and writes nothing of the request.
 */
public final class InvalidRemoteWriteException extends RuntimeException {

  public InvalidRemoteWriteException(String message) {
    super(message);
  }

  public InvalidRemoteWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
