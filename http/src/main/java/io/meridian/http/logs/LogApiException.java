package io.meridian.http.logs;

import java.util.List;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** A request the log-excerpt API refuses, with the status and messages of its error body. */
final class LogApiException extends RuntimeException {

  private final StatusCode status;
  private final List<String> messages;

  LogApiException(StatusCode status, List<String> messages) {
    super(String.join("; ", messages));
    this.status = status;
    this.messages = List.copyOf(messages);
  }

  /** 400: the request's path, parameters or body are invalid. */
  static LogApiException badRequest(String... messages) {
    return new LogApiException(StatusCodes.BAD_REQUEST, List.of(messages));
  }

  StatusCode status() {
    return status;
  }

  List<String> messages() {
    return messages;
  }
}
