package io.meridian.http.opentsdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.ApiFamily;
import io.meridian.http.HttpSettings;
import io.meridian.protocol.opentsdb.TsdbError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** Builds OpenTSDB-shaped responses: JSON bodies and the error object. */
final class TsdbResponses {

  /** The one serializer Meridian offers, OpenTSDB's default. */
  static final String SERIALIZER = "json";

  private final ObjectMapper mapper;
  private final HttpSettings settings;

  TsdbResponses(ObjectMapper mapper, HttpSettings settings) {
    this.mapper = mapper;
    this.settings = settings;
  }

  HttpResponse json(StatusCode status, Object body) {
    try {
      return json(status, mapper.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize response", e);
    }
  }

  HttpResponse json(StatusCode status, byte[] body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  HttpResponse error(StatusCode status, String message, String details, Throwable cause) {
    String trace = null;
    if (settings.showStackTrace() && cause != null) {
      StringWriter out = new StringWriter();
      cause.printStackTrace(new PrintWriter(out));
      trace = out.toString();
    }
    return json(status, new TsdbError(status.intValue(), message, details, trace).envelope());
  }

  HttpResponse badRequest(String message, String details) {
    return error(StatusCodes.BAD_REQUEST, message, details, null);
  }

  /**
   * A value as OpenTSDB prints it where it uses strings ({@code /api/query/last}, stats): integral
   * values without a fraction, as OpenTSDB prints integer data.
   */
  static String formatValue(double value) {
    return printsAsInteger(value) ? Long.toString((long) value) : Double.toString(value);
  }

  static boolean printsAsInteger(double value) {
    return value == Math.rint(value) && Math.abs(value) < 0x1p53;
  }

  /** This machine's host name, as OpenTSDB reports it in {@code version} and {@code stats}. */
  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** 503 with Retry-After: the cluster cannot serve now, the same request may succeed later. */
  HttpResponse unavailable(String message, String details, Throwable cause) {
    return withRetryAfter(error(StatusCodes.SERVICE_UNAVAILABLE, message, details, cause));
  }

  /** Tells the client when to retry a request the cluster could not serve now. */
  HttpResponse withRetryAfter(HttpResponse response) {
    return response.addHeader(ApiFamily.retryAfter(settings.retryAfter()));
  }
}
