package io.meridian.http;

import org.apache.pekko.http.javadsl.model.StatusCode;

/**
 * A request {@link Projects} refuses: 401 without a valid appkey, 403 for another project than the
 * key's. Each API family answers it in its own error format, with {@link #kind} ({@code
 * unauthorized} or {@code forbidden}) where that format has an error type.
 */
public final class ProjectAccessException extends RuntimeException {

  private final StatusCode status;
  private final String kind;

  public ProjectAccessException(StatusCode status, String kind, String message) {
    super(message);
    this.status = status;
    this.kind = kind;
  }

  public StatusCode status() {
    return status;
  }

  public String kind() {
    return kind;
  }
}
