package io.meridian.ops.scrape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.ops.testing.Http;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Drives one project's OpenMetrics API on a node as a client would: servers, jobs and targets
 * through {@code /v1.0/projects/{projectId}/…} and what was scraped through the project's
 * Prometheus query API. Every call unwraps the API's envelope ({@code header} and {@code body}).
 *
 * <p>A 503 (the project's catalog or the store is not reachable yet, e.g. while the journal tables
 * are created or a shard moves) is retried as a client would, for up to a minute.
 */
final class ScrapeApi {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration RETRY_FOR = Duration.ofMinutes(1);

  /** Who deletes, as the API requires: a member's UUID. */
  static final String MEMBER_ID = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

  /** One answer of the jobs/targets/servers API. */
  record Envelope(JsonNode header, JsonNode body, String raw) {

    boolean successful() {
      return header.path("isSuccessful").asBoolean(false) && resultCode() == 0;
    }

    int resultCode() {
      return header.path("resultCode").asInt(Integer.MIN_VALUE);
    }

    /** The body, failing with the whole answer unless the call succeeded. */
    JsonNode successBody() {
      if (!successful()) {
        throw new AssertionError("the API refused the request: " + raw);
      }
      return body;
    }
  }

  private final Http http;
  private final String project;
  private final AtomicInteger retried = new AtomicInteger();

  ScrapeApi(String baseUrl, String project) {
    this.http = new Http(baseUrl);
    this.project = project;
  }

  /** How many requests were answered 503 and sent again so far. */
  int retried() {
    return retried.get();
  }

  /** Registers a server and answers it as the API shows it (with its {@code hostId}). */
  JsonNode registerServer(String hostNm, String svrIp) {
    ObjectNode body = MAPPER.createObjectNode().put("hostNm", hostNm).put("svrIp", svrIp);
    body.putNull("instanceId");
    return post(projectPath("/servers"), body).successBody();
  }

  /** Creates a job scraping {@code /metrics} every {@code intervalSec}; answers the job. */
  JsonNode createJob(String jobName, int intervalSec) {
    ObjectNode body =
        MAPPER
            .createObjectNode()
            .put("jobName", jobName)
            .put("metricsPath", "/metrics")
            .put("description", "created by " + getClass().getSimpleName())
            .put("scrapeIntervalSec", intervalSec);
    return post(projectPath("/jobs"), body).successBody();
  }

  /** Changes a job's scrape interval (its timeout follows, capped at the interval). */
  JsonNode changeInterval(String jobId, int intervalSec) {
    ObjectNode body = MAPPER.createObjectNode().put("scrapeIntervalSec", intervalSec);
    return put(projectPath("/jobs/" + jobId), body).successBody();
  }

  /** Creates a target of {@code jobId} at port {@code port} of server {@code hostId}. */
  String createTarget(String jobId, String hostId, int port, String description) {
    ObjectNode body =
        MAPPER
            .createObjectNode()
            .put("hostId", hostId)
            .put("port", port)
            .put("description", description);
    return post(projectPath("/jobs/" + jobId + "/targets"), body).successBody().asText();
  }

  /** A target as the API shows it, with its last scrape's result. */
  Envelope target(String jobId, String targetId) {
    return get(projectPath("/jobs/" + jobId + "/targets/" + targetId));
  }

  /** A job's targets as the API shows them. */
  Envelope targets(String jobId) {
    return get(projectPath("/jobs/" + jobId + "/targets"));
  }

  Envelope job(String jobId) {
    return get(projectPath("/jobs/" + jobId));
  }

  Envelope deleteTarget(String jobId, String targetId) {
    return delete(
        projectPath("/jobs/" + jobId + "/targets/" + targetId + "?memberId=" + MEMBER_ID));
  }

  Envelope deleteJob(String jobId) {
    return delete(projectPath("/jobs/" + jobId + "?memberId=" + MEMBER_ID));
  }

  /**
   * The {@code data.result} of a PromQL instant query at the current time over the project's
   * series; fails unless the query succeeded.
   */
  JsonNode query(String promql) {
    return prometheus("/query?query=" + encode(promql));
  }

  /** The {@code data.result} (a matrix) of a PromQL range query, times in epoch seconds. */
  JsonNode queryRange(String promql, long startSec, long endSec, int stepSec) {
    return prometheus(
        "/query_range?query="
            + encode(promql)
            + "&start="
            + startSec
            + "&end="
            + endSec
            + "&step="
            + stepSec);
  }

  /**
   * A Prometheus sample value as the API writes it ({@code "1.5"}, {@code "NaN"}, {@code "+Inf"}).
   */
  static double value(JsonNode text) {
    return switch (text.asText()) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text.asText());
    };
  }

  private JsonNode prometheus(String endpoint) {
    Http.Response response =
        retrying(() -> http.get("/prometheus/projects/" + project + "/api/v1" + endpoint));
    if (response.status() != 200 || !"success".equals(response.json().path("status").asText())) {
      throw new AssertionError(
          "query " + endpoint + " answered " + response.status() + ": " + response.body());
    }
    return response.json().path("data").path("result");
  }

  private Envelope get(String path) {
    return envelope(retrying(() -> http.get(path)));
  }

  private Envelope post(String path, JsonNode body) {
    String json = body.toString();
    return envelope(retrying(() -> http.post(path, json)));
  }

  private Envelope put(String path, JsonNode body) {
    String json = body.toString();
    return envelope(retrying(() -> http.put(path, json)));
  }

  private Envelope delete(String path) {
    return envelope(retrying(() -> http.delete(path)));
  }

  private String projectPath(String rest) {
    return "/v1.0/projects/" + project + rest;
  }

  private static Envelope envelope(Http.Response response) {
    if (response.status() != 200) {
      throw new AssertionError("answered " + response.status() + ": " + response.body());
    }
    JsonNode json = response.json();
    return new Envelope(json.path("header"), json.path("body"), response.body());
  }

  /** Sends the request again while it is answered 503, as Retry-After asks, up to a minute. */
  private Http.Response retrying(Supplier<Http.Response> request) {
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    Http.Response response = request.get();
    while (response.status() == 503 && System.nanoTime() < deadline) {
      retried.incrementAndGet();
      long seconds =
          response.raw().headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
      try {
        Thread.sleep(Math.max(1, Math.min(seconds, 5)) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      response = request.get();
    }
    return response;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
