package io.meridian.http.opentsdb;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A request the OpenTSDB API answers with its error object and the given status, e.g. 400 for bad
 * input or 404 for an unknown endpoint. Nothing was changed when it is thrown.
 */
final class TsdbException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient StatusCode status;
  private final String details;

  TsdbException(StatusCode status, String message, String details) {
    super(message);
    this.status = status;
    this.details = details;
  }

  static TsdbException badRequest(String message, String details) {
    return new TsdbException(StatusCodes.BAD_REQUEST, message, details);
  }

  StatusCode status() {
    return status;
  }

  String details() {
    return details;
  }
}
