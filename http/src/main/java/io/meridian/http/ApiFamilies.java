package io.meridian.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The API families of a node, in the order they claim paths: the first family that serves a path
 * answers for it, so a family owning paths inside another's prefix (Prometheus' {@code
 * /api/v1/query} inside OpenTSDB's {@code /api}) must come before it. A path no family serves is
 * answered with a plain JSON error, {@code {"error":{"code":503,"message":…,"details":…}}}.
 */
public final class ApiFamilies {

  private final List<ApiFamily> families;
  private final ApiFamily fallback;

  public ApiFamilies(List<ApiFamily> families, Duration retryAfter) {
    this.families = List.copyOf(families);
    this.fallback = new PlainJson(retryAfter);
  }

  /** The family answering for {@code path}. */
  public ApiFamily forPath(String path) {
    for (ApiFamily family : families) {
      if (family.serves(path)) {
        return family;
      }
    }
    return fallback;
  }

  /** The error format of requests outside every family. */
  private record PlainJson(Duration retryAfter) implements ApiFamily {

    @Override
    public boolean serves(String path) {
      return true;
    }

    @Override
    public HttpResponse unavailable(String message, String details) {
      return ApiFamilies.error(StatusCodes.SERVICE_UNAVAILABLE, message, details)
          .addHeader(ApiFamily.retryAfter(retryAfter));
    }

    @Override
    public HttpResponse refused(ProjectAccessException refusal) {
      return ApiFamilies.error(refusal.status(), refusal.getMessage(), null);
    }
  }

  /** The plain JSON error, {@code {"error":{"code":…,"message":…,"details":…}}}. */
  public static HttpResponse error(StatusCode status, String message, String details) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", status.intValue());
    error.put("message", message);
    if (details != null) {
      error.put("details", details);
    }
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
