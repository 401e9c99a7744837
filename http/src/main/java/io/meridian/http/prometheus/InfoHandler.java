package io.meridian.http.prometheus;

import java.util.Locale;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The Prometheus endpoints Grafana calls besides queries, answered from what Meridian keeps: {@code
 * status/buildinfo} (Grafana reads the version to pick its features), {@code metadata} (Meridian
 * keeps no metric metadata: an empty map), {@code query_exemplars} (no exemplars are stored: an
 * empty list) and {@code rules} (Meridian evaluates no rules: no groups, as a Prometheus without
 * rule files answers; Grafana's alert list shows an error for a data source whose rules are 404).
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

  /**
   * {@code rules}: no groups. The {@code type} filter is checked as Prometheus does, so a request
   * Prometheus refuses is refused here too.
   */
  HttpResponse rules(PromParams params) {
    String type = params.get("type").toLowerCase(Locale.ROOT);
    if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
      throw PromApiException.badData("invalid query parameter type='" + type + "'");
    }
    return responses.success(
        out -> {
          out.writeStartObject();
          out.writeArrayFieldStart("groups");
          out.writeEndArray();
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
