package io.meridian.http.openmetrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.http.ApiFamily;
import io.meridian.http.RequestLog;
import io.meridian.protocol.scrape.ResultCode;
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
 * Builds the envelope every answer of the OpenMetrics jobs API has: {@code
 * {"header":{"isSuccessful":…,"resultCode":…,"resultMessage":…},"body":…}}, with {@code
 * "resultDetail"} (what was wrong, for people) added to the header of failures, whose body is null.
 */
final class OmResponses {

  /** Writes the {@code body} member's value. */
  interface Body {
    void write(JsonGenerator out) throws IOException;
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final Duration retryAfter;

  OmResponses(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  /** 200 with {@code SUCCESS} and the body. */
  HttpResponse success(Body body) {
    return envelope(StatusCodes.OK, ResultCode.SUCCESS, null, body);
  }

  /** 200 with the id of what was created or deleted as the body, a JSON string. */
  HttpResponse successId(String id) {
    return success(out -> out.writeString(id));
  }

  /** A failure: {@code status} (200 for the API's own result codes), the code and its detail. */
  HttpResponse error(StatusCode status, ResultCode code, String detail) {
    return envelope(status, code, detail, JsonGenerator::writeNull)
        .addAttribute(RequestLog.FAILED, true);
  }

  /** 503 with {@code Retry-After} and INTERNAL_SERVER_ERROR: the cluster cannot serve now. */
  HttpResponse unavailable(String detail) {
    return error(StatusCodes.SERVICE_UNAVAILABLE, ResultCode.INTERNAL_SERVER_ERROR, detail)
        .addHeader(ApiFamily.retryAfter(retryAfter));
  }

  private static HttpResponse envelope(
      StatusCode status, ResultCode code, String detail, Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator out = JSON.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeObjectFieldStart("header");
      out.writeBooleanField("isSuccessful", code == ResultCode.SUCCESS);
      out.writeNumberField("resultCode", code.code());
      out.writeStringField("resultMessage", code.message());
      if (detail != null) {
        out.writeStringField("resultDetail", detail);
      }
      out.writeEndObject();
      out.writeFieldName("body");
      body.write(out);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes.toByteArray()));
  }
}
