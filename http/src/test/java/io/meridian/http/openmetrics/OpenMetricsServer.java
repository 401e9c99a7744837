package io.meridian.http.openmetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.meridian.http.HttpServer;
import io.meridian.http.HttpSettings;
import io.meridian.http.testing.HttpTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The OpenMetrics jobs routes alone, serving an {@link InMemoryScrapeService} on a free port of a
 * local actor system, driven by a real HTTP client: fast route tests without a cluster.
 */
final class OpenMetricsServer implements AutoCloseable {

  static final String JSON = "application/json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ActorTestKit testKit;
  private final InMemoryScrapeService service = new InMemoryScrapeService();
  private final OpenMetricsRoutes routes;
  private final HttpTestClient http;

  /** Starts the routes; {@code extraConfig} (HOCON) overrides the defaults. */
  OpenMetricsServer(String name, String extraConfig) {
    testKit =
        ActorTestKit.create(
            name, ConfigFactory.parseString(extraConfig).withFallback(ConfigFactory.load()));
    try {
      HttpSettings settings = HttpSettings.fromConfig(testKit.system().settings().config());
      routes = new OpenMetricsRoutes(testKit.system(), service, settings);
      ServerBinding binding =
          Http.get(testKit.system())
              .newServerAt("127.0.0.1", 0)
              .bind(routes.route())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      http = new HttpTestClient(HttpServer.hostAndPort(binding));
    } catch (Exception e) {
      testKit.shutdownTestKit();
      throw new IllegalStateException("OpenMetrics routes did not start", e);
    }
  }

  InMemoryScrapeService service() {
    return service;
  }

  OpenMetricsRoutes routes() {
    return routes;
  }

  ActorTestKit testKit() {
    return testKit;
  }

  /** Sends a request; {@code body} may be null for none, {@code headers} are name/value pairs. */
  HttpResponse<String> send(String method, String path, String body, String... headers) {
    return http.send(method, path, body, headers);
  }

  /** Sends a JSON body (with {@code Content-Type: application/json}). */
  HttpResponse<String> sendJson(String method, String path, String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = JSON;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.send(method, path, body, all);
  }

  /** The envelope of a response, after checking its HTTP status and that it is declared JSON. */
  static JsonNode envelope(HttpResponse<String> response, int status) {
    if (response.statusCode() != status
        || !response.headers().firstValue("Content-Type").orElse("").equals(JSON)) {
      throw new AssertionError(
          "expected "
              + status
              + " JSON, got "
              + response.statusCode()
              + " "
              + response.headers().map()
              + " "
              + response.body());
    }
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body of a successful answer (HTTP 200, resultCode 0). */
  static JsonNode body(HttpResponse<String> response) {
    JsonNode envelope = envelope(response, 200);
    if (envelope.at("/header/resultCode").asInt() != 0) {
      throw new AssertionError("not successful: " + response.body());
    }
    return envelope.get("body");
  }

  /** Checks a refused request's envelope and returns its {@code resultDetail}. */
  static String refused(HttpResponse<String> response, int status, int resultCode) {
    JsonNode envelope = envelope(response, status);
    JsonNode header = envelope.get("header");
    if (header.get("isSuccessful").asBoolean()
        || header.get("resultCode").asInt() != resultCode
        || !envelope.get("body").isNull()) {
      throw new AssertionError("expected resultCode " + resultCode + ", got " + response.body());
    }
    return header.get("resultDetail").asText();
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
