package io.meridian.http.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** Reads the {@code error} object of a response built in the test JVM (a strict entity). */
public final class ErrorBodies {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ErrorBodies() {}

  public static JsonNode error(HttpResponse response) throws IOException {
    return MAPPER
        .readTree(((HttpEntity.Strict) response.entity()).getData().utf8String())
        .get("error");
  }
}
