package io.meridian.http.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.http.ApiFamily;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * Builds the log-excerpt API's bodies: the {@code log_excerpt} resource and the Ocean error body
 * {@code {"_api_error":["message", …]}}.
 */
final class LogResponses {

  /** Writes the members of the body's top-level object. */
  interface Members {
    void write(JsonGenerator out) throws IOException;
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final Duration retryAfter;

  LogResponses(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  HttpResponse error(StatusCode status, List<String> messages) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(
            HttpEntities.create(
                ContentTypes.APPLICATION_JSON,
                json(
                    out -> {
                      out.writeArrayFieldStart("_api_error");
                      for (String message : messages) {
                        out.writeString(message);
                      }
                      out.writeEndArray();
                    })));
  }

  HttpResponse error(StatusCode status, String message) {
    return error(status, List.of(message));
  }

  /** A 503 telling the client when to retry. */
  HttpResponse unavailable(String message) {
    return error(StatusCodes.SERVICE_UNAVAILABLE, message)
        .addHeader(ApiFamily.retryAfter(retryAfter));
  }

  static byte[] json(Members members) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator out = JSON.createGenerator(bytes)) {
      out.writeStartObject();
      members.write(out);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
