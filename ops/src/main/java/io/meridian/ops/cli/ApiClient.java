package io.meridian.ops.cli;

import io.meridian.http.telnet.BuildInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CLI's HTTP client for one target: sends the stored credential ({@code Authorization: Bearer}
 * or, with {@code --app-key}, {@code X-TC-APP-KEY}), writes every exchange to the trace when {@code
 * --trace} is on, and turns refusals into {@link ApiException}s with the API's own message.
 */
final class ApiClient {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final String USER_AGENT = "meridian-cli/" + BuildInfo.version();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String target;
  private final Map<String, String> credentialHeaders;
  private final TraceLog trace;

  ApiClient(String target, Map<String, String> credentialHeaders, TraceLog trace) {
    this.target = target;
    this.credentialHeaders = credentialHeaders;
    this.trace = trace;
  }

  String target() {
    return target;
  }

  /** One request; a body needs its content type. */
  record Request(
      String method,
      String pathAndQuery,
      String contentType,
      String body,
      Map<String, String> headers,
      Duration timeout) {

    static Request get(String pathAndQuery) {
      return new Request("GET", pathAndQuery, null, null, Map.of(), DEFAULT_TIMEOUT);
    }

    static Request delete(String pathAndQuery) {
      return new Request("DELETE", pathAndQuery, null, null, Map.of(), DEFAULT_TIMEOUT);
    }

    static Request json(String method, String pathAndQuery, String body) {
      return new Request(method, pathAndQuery, "application/json", body, Map.of(), DEFAULT_TIMEOUT);
    }

    static Request form(String pathAndQuery, String body) {
      return new Request(
          "POST",
          pathAndQuery,
          "application/x-www-form-urlencoded",
          body,
          Map.of(),
          DEFAULT_TIMEOUT);
    }

    Request withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Request(method, pathAndQuery, contentType, body, more, timeout);
    }

    Request withTimeout(Duration timeout) {
      return new Request(method, pathAndQuery, contentType, body, headers, timeout);
    }
  }

  /** Sends the request and returns the answer, whatever its status. */
  ApiResponse send(Request request) {
    String url = target + request.pathAndQuery();
    HttpRequest.Builder builder;
    try {
      builder = HttpRequest.newBuilder(URI.create(url)).timeout(request.timeout());
    } catch (IllegalArgumentException e) {
      throw new CliException("Not a valid URL: " + url + " (" + e.getMessage() + ")");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", USER_AGENT);
    headers.put("Accept", "application/json");
    if (request.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization"))) {
      headers.putAll(credentialHeaders);
    }
    headers.putAll(request.headers());
    if (request.contentType() != null) {
      headers.put("Content-Type", request.contentType());
    }
    // A header given as null is one not to send, e.g. no stored credential to the OAuth endpoint.
    headers.values().removeIf(value -> value == null);
    headers.forEach(builder::header);
    builder.method(
        request.method(),
        request.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(request.body()));
    long started = System.nanoTime();
    ApiResponse response = null;
    String failure = null;
    try {
      HttpResponse<String> answer =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      response = new ApiResponse(answer.statusCode(), answer.headers(), answer.body());
      return response;
    } catch (ConnectException e) {
      failure = "Cannot connect to " + target + ": " + describe(e);
      throw new ApiException(0, failure, null);
    } catch (HttpTimeoutException e) {
      failure = "No answer from " + target + " within " + request.timeout().toSeconds() + " s";
      throw new ApiException(0, failure, null);
    } catch (IOException e) {
      failure = "Request to " + url + " failed: " + describe(e);
      throw new ApiException(0, failure, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
      throw new ApiException(0, "Interrupted", null);
    } finally {
      if (trace != null) {
        Map<String, List<String>> traced = new LinkedHashMap<>();
        headers.forEach((name, value) -> traced.put(name, List.of(value)));
        trace.exchange(
            request.method(),
            url,
            traced,
            request.body(),
            response,
            failure,
            Duration.ofNanos(System.nanoTime() - started));
      }
    }
  }

  /** Sends the request and returns the answer if it is a success, else throws the API's error. */
  ApiResponse expectOk(Request request) {
    ApiResponse response = send(request);
    if (!response.ok()) {
      throw ApiErrors.of(response);
    }
    return response;
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** {@code path?name=value&…} with names and values URL-encoded; null values are left out. */
  static String path(String path, String... namesAndValues) {
    StringJoiner query = new StringJoiner("&");
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        query.add(encode(namesAndValues[i]) + "=" + encode(namesAndValues[i + 1]));
      }
    }
    return query.length() == 0 ? path : path + (path.contains("?") ? "&" : "?") + query;
  }

  /** A URL path segment or query value, encoded. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
