package io.meridian.ops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** A small real HTTP client for driving a node's API in tests. */
public final class Http {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String authorization;

  public Http(String baseUrl) {
    this(baseUrl, null);
  }

  private Http(String baseUrl, String authorization) {
    this.baseUrl = baseUrl;
    this.authorization = authorization;
  }

  /** This client sending {@code Authorization: Bearer <credential>} with every request. */
  public Http withBearer(String credential) {
    return new Http(baseUrl, "Bearer " + credential);
  }

  /** A response with its status, body text and body parsed as JSON where it is JSON. */
  public record Response(int status, String body, HttpResponse<String> raw) {

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  /**
   * The first answer to {@code request} other than 503, polled until {@code timeout}: a node that
   * has just started (its journal tables being created) or whose shards are moving answers 503 and
   * says to retry, as a client then does.
   */
  public static Response untilAvailable(String what, Duration timeout, Supplier<Response> request) {
    Response[] last = new Response[1];
    Await.until(
        what,
        timeout,
        () -> (last[0] = request.get()).status() != 503,
        () -> last[0].status() + " " + last[0].body());
    return last[0];
  }

  public Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET());
  }

  public Response post(String pathAndQuery, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response put(String pathAndQuery, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response delete(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).DELETE());
  }

  private Response send(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
