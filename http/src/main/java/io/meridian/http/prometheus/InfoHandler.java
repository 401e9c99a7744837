package io.meridian.http.prometheus;

import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The Prometheus endpoints Grafana calls besides queries, answered from what Meridian keeps: {@code
 * status/buildinfo} (Grafana reads the version to pick its features), {@code metadata} (Meridian
 * keeps no metric metadata: an empty map) and {@code query_exemplars} (no exemplars are stored: an
 * empty list).
 */
final class InfoHandler {

  /** The Prometheus release whose API Meridian's answers follow. */
  static final String PROMETHEUS_VERSION = "2.42.0";

  private final PromResponses responses;

  InfoHandler(PromResponses responses) {
    this.responses = responses;
  }

  HttpResponse buildInfo() {
    return responses.success(
        out -> {
          out.writeStartObject();
          out.writeStringField("version", PROMETHEUS_VERSION);
          out.writeStringField("revision", "meridian");
          out.writeStringField("branch", "");
          out.writeStringField("buildUser", "");
          out.writeStringField("buildDate", "");
          out.writeStringField("goVersion", "");
          out.writeEndObject();
        });
  }

  HttpResponse metadata() {
    return responses.success(
        out -> {
          out.writeStartObject();
          out.writeEndObject();
        });
  }

  HttpResponse exemplars() {
    return responses.success(
        out -> {
          out.writeStartArray();
          out.writeEndArray();
        });
  }
}
