package io.meridian.http.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.http.ApiFamily;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * Builds the Prometheus API's JSON envelopes: {@code {"status":"success","data":…}} and {@code
 * {"status":"error","errorType":…,"error":…}}.
 */
final class PromResponses {

  /** Writes the {@code data} member's value. */
  interface Data {
    void write(JsonGenerator out) throws IOException;
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final Duration retryAfter;

  PromResponses(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  HttpResponse success(Data data) {
    return json(
        StatusCodes.OK,
        out -> {
          out.writeStringField("status", "success");
          out.writeFieldName("data");
          data.write(out);
        });
  }

  HttpResponse error(StatusCode status, String errorType, String message) {
    return json(
        status,
        out -> {
          out.writeStringField("status", "error");
          out.writeStringField("errorType", errorType);
          out.writeStringField("error", message);
        });
  }

  /** Tells the client when to retry a request the cluster could not serve now. */
  HttpResponse withRetryAfter(HttpResponse response) {
    return response.addHeader(ApiFamily.retryAfter(retryAfter));
  }

  private static HttpResponse json(StatusCode status, Data members) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator out = JSON.createGenerator(bytes)) {
      out.writeStartObject();
      members.write(out);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes.toByteArray()));
  }
}
