package io.meridian.http.openmetrics;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.Target;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes jobs, targets and servers as the API shows them: the fields and their order as System
 * Monitoring documents them (clients and their tests compare whole bodies), then this API's
 * extensions. Timestamps ({@code lstModYmdt}) are ISO local date-times to the second in {@code
 * meridian.scrape.time-zone}, e.g. {@code 2021-08-17T10:32:09}.
 */
final class OmJson {

  private static final DateTimeFormatter YMDT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private final ZoneId zone;

  OmJson(ZoneId zone) {
    this.zone = zone;
  }

  /** {@code lstModYmdt} of a change at {@code epochMs}. */
  String ymdt(long epochMs) {
    return YMDT.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), zone));
  }

  void job(JsonGenerator out, Job job) throws IOException {
    out.writeStartObject();
    out.writeStringField("jobId", job.jobId());
    out.writeStringField("projectId", job.projectId());
    out.writeStringField("jobName", job.jobName());
    out.writeStringField("metricsPath", job.metricsPath());
    out.writeStringField("description", job.description());
    out.writeStringField("lstModifier", job.lstModifier());
    out.writeStringField("lstModYmdt", ymdt(job.lstModMs()));
    // System Monitoring's own job codes; jobs created through this API have none.
    out.writeNullField("reservedJobCd");
    out.writeNumberField("scrapeIntervalSec", job.scrapeIntervalSec());
    out.writeNumberField("scrapeTimeoutSec", job.scrapeTimeoutSec());
    out.writeEndObject();
  }

  void jobs(JsonGenerator out, List<Job> jobs) throws IOException {
    out.writeStartArray();
    for (Job job : jobs) {
      job(out, job);
    }
    out.writeEndArray();
  }

  void target(JsonGenerator out, TargetView view) throws IOException {
    Target target = view.target();
    TargetHealth health = view.health();
    out.writeStartObject();
    out.writeStringField("targetId", target.targetId());
    out.writeStringField("jobId", target.jobId());
    out.writeStringField("hostId", target.hostId());
    out.writeNumberField("port", target.port());
    // All three stay null until the target's first scrape has been reported.
    if (health == null) {
      out.writeNullField("resultCd");
    } else {
      out.writeNumberField("resultCd", health.resultCd());
    }
    out.writeStringField("failReason", health == null ? null : health.failReason());
    out.writeStringField("mntrnStatCd", health == null ? null : health.mntrnStatCd());
    out.writeStringField("lstModifier", target.lstModifier());
    out.writeStringField("lstModYmdt", ymdt(target.lstModMs()));
    out.writeStringField("hostNm", view.hostNm());
    out.writeStringField("svrIp", view.svrIp());
    out.writeStringField("description", target.description());
    out.writeEndObject();
  }

  void targets(JsonGenerator out, List<TargetView> targets) throws IOException {
    out.writeStartArray();
    for (TargetView target : targets) {
      target(out, target);
    }
    out.writeEndArray();
  }

  void server(JsonGenerator out, Server server) throws IOException {
    out.writeStartObject();
    out.writeStringField("hostId", server.hostId());
    out.writeStringField("hostNm", server.hostNm());
    out.writeStringField("svrIp", server.svrIp());
    out.writeStringField("projectId", server.projectId());
    out.writeStringField("instanceId", server.instanceId());
    out.writeEndObject();
  }

  void servers(JsonGenerator out, List<Server> servers) throws IOException {
    out.writeStartArray();
    for (Server server : servers) {
      server(out, server);
    }
    out.writeEndArray();
  }
}
