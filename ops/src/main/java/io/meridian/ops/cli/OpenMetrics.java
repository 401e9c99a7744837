package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * Calls to the OpenMetrics jobs API ({@code /v1.0/projects/<project>/…}), whose every answer is the
 * envelope {@code {"header":{"isSuccessful":…,"resultCode":…,"resultMessage":…},"body":…}}: a
 * refusal (HTTP 200 with a negative result code, as System Monitoring answers) becomes an {@link
 * ApiException} with the result code, message and detail.
 */
final class OpenMetrics {

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final ApiClient client;
  private final String project;

  OpenMetrics(ApiClient client, String project) {
    this.client = client;
    this.project = project;
  }

  String path(String rest) {
    return "/v1.0/projects/" + ApiClient.encode(project) + rest;
  }

  /** The whole envelope of a successful request. */
  JsonNode call(ApiClient.Request request) {
    ApiResponse response = client.send(request);
    JsonNode envelope = response.json();
    JsonNode header = envelope.path("header");
    if (!header.has("isSuccessful")) {
      throw ApiErrors.of(response);
    }
    if (!header.path("isSuccessful").asBoolean()) {
      String tag = response.tag() != null ? response.tag() : header.path("tag").asText(null);
      throw new ApiException(response.status(), ApiErrors.envelopeMessage(header), tag);
    }
    return envelope;
  }

  /** The id of a job given by id or by name. */
  String jobId(String job) {
    if (UUID.matcher(job).matches()) {
      return job;
    }
    for (JsonNode candidate : call(ApiClient.Request.get(path("/jobs"))).path("body")) {
      if (candidate.path("jobName").asText().equals(job)) {
        return candidate.path("jobId").asText();
      }
    }
    throw new ApiException(
        200,
        "-40006 NOT_FOUND_JOB: project " + project + " has no job named \"" + job + "\"",
        null);
  }

  /** The id of a server given by host id or by name. */
  String hostId(String host) {
    if (UUID.matcher(host).matches()) {
      return host;
    }
    for (JsonNode candidate : call(ApiClient.Request.get(path("/servers"))).path("body")) {
      if (candidate.path("hostNm").asText().equals(host)) {
        return candidate.path("hostId").asText();
      }
    }
    throw new ApiException(
        200,
        "-40004 INVALID_HOST_OR_PROJECT: project "
            + project
            + " has no server named \""
            + host
            + "\"",
        null);
  }
}
