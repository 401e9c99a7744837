package io.meridian.http.prometheus;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A request the Prometheus API refuses, with the status and {@code errorType} of its error body
 * (Prometheus' {@code apiError}).
 */
final class PromApiException extends RuntimeException {

  private final StatusCode status;
  private final String errorType;

  PromApiException(StatusCode status, String errorType, String message) {
    super(message);
    this.status = status;
    this.errorType = errorType;
  }

  /** 400 {@code bad_data}: the request's parameters are invalid. */
  static PromApiException badData(String message) {
    return new PromApiException(StatusCodes.BAD_REQUEST, "bad_data", message);
  }

  /** Prometheus' {@code invalidParamError}: {@code invalid parameter "name": reason}. */
  static PromApiException invalidParam(String parameter, String reason) {
    return badData("invalid parameter \"" + parameter + "\": " + reason);
  }

  StatusCode status() {
    return status;
  }

  String errorType() {
    return errorType;
  }
}
