package io.meridian.http.openmetrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.node.scrape.JobChange;
import io.meridian.node.scrape.JobSpec;
import io.meridian.node.scrape.ScrapeCatalogException;
import io.meridian.node.scrape.ServerSpec;
import io.meridian.node.scrape.TargetSpec;
import io.meridian.protocol.scrape.ResultCode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the JSON bodies of the jobs, targets and servers API into the service's specs, checking
 * only their shape: a JSON object, known fields only, required ones present, each of its type (a
 * JSON null counts as absent). What the values may be (lengths, ranges, paths) the {@link
 * io.meridian.node.scrape.ScrapeService} checks. Every problem is BAD_INPUT_VALUE with a message
 * naming the field.
 */
final class OmBodies {

  /** Fields of a job's representation that a PUT cannot change. */
  private static final Set<String> READ_ONLY_JOB_FIELDS =
      Set.of("jobId", "projectId", "jobName", "lstModifier", "lstModYmdt", "reservedJobCd");

  private static final List<String> JOB_FIELDS =
      List.of("jobName", "metricsPath", "description", "scrapeIntervalSec", "scrapeTimeoutSec");
  private static final List<String> JOB_CHANGE_FIELDS =
      List.of("metricsPath", "description", "scrapeIntervalSec", "scrapeTimeoutSec");
  private static final List<String> TARGET_FIELDS = List.of("hostId", "port", "description");
  private static final List<String> SERVER_FIELDS = List.of("hostNm", "svrIp", "instanceId");

  // Duplicate keys and trailing tokens are errors rather than silently resolved.
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private OmBodies() {}

  /** The body of {@code POST …/jobs}. */
  static JobSpec jobSpec(String body) {
    JsonNode json = object(body, "a job", JOB_FIELDS, Set.of());
    return new JobSpec(
        requiredString(json, "jobName"),
        string(json, "metricsPath"),
        string(json, "description"),
        integer(json, "scrapeIntervalSec"),
        integer(json, "scrapeTimeoutSec"));
  }

  /** The body of {@code PUT …/jobs/{jobId}}. */
  static JobChange jobChange(String body) {
    JsonNode json = object(body, "a job change", JOB_CHANGE_FIELDS, READ_ONLY_JOB_FIELDS);
    return new JobChange(
        string(json, "metricsPath"),
        string(json, "description"),
        integer(json, "scrapeIntervalSec"),
        integer(json, "scrapeTimeoutSec"));
  }

  /** The body of {@code POST …/jobs/{jobId}/targets}. */
  static TargetSpec targetSpec(String body) {
    JsonNode json = object(body, "a target", TARGET_FIELDS, Set.of());
    return new TargetSpec(requiredString(json, "hostId"), port(json), string(json, "description"));
  }

  /** The body of {@code POST …/servers}. */
  static ServerSpec serverSpec(String body) {
    JsonNode json = object(body, "a server", SERVER_FIELDS, Set.of());
    return new ServerSpec(
        requiredString(json, "hostNm"), requiredString(json, "svrIp"), string(json, "instanceId"));
  }

  private static JsonNode object(
      String body, String what, List<String> fields, Set<String> readOnly) {
    if (body.isBlank()) {
      throw bad("The request body is empty: send " + what + " as a JSON object");
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw bad("The request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (!json.isObject()) {
      throw bad("The request body must be a JSON object (" + what + "), not " + kind(json));
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (readOnly.contains(name)) {
        throw bad("Field \"" + name + "\" cannot be changed; a PUT may change " + fields);
      }
      if (!fields.contains(name)) {
        throw bad("Unknown field \"" + name + "\": " + what + " has the fields " + fields);
      }
    }
    return json;
  }

  private static String requiredString(JsonNode json, String field) {
    String value = string(json, field);
    if (value == null) {
      throw bad("Field \"" + field + "\" is required");
    }
    return value;
  }

  private static String string(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw bad("Field \"" + field + "\" must be a string, not " + kind(value));
    }
    return value.textValue();
  }

  private static Integer integer(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw bad("Field \"" + field + "\" must be an integer, not " + kind(value));
    }
    return value.intValue();
  }

  /** A port: a JSON integer, or a string of digits as System Monitoring's own example sends it. */
  private static int port(JsonNode json) {
    JsonNode value = json.get("port");
    if (value == null || value.isNull()) {
      throw bad("Field \"port\" is required");
    }
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return value.intValue();
    }
    if (value.isTextual() && value.textValue().matches("[0-9]{1,10}")) {
      long port = Long.parseLong(value.textValue());
      if (port <= Integer.MAX_VALUE) {
        return (int) port;
      }
    }
    throw bad("Field \"port\" must be an integer or a string of digits, not " + kind(value));
  }

  private static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case STRING -> "the string " + abbreviated(value.toString());
      case NUMBER -> "the number " + abbreviated(value.toString());
      case BOOLEAN -> value.booleanValue() ? "true" : "false";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** A value as a message quotes it: long ones cut, so that an error never echoes a whole body. */
  private static String abbreviated(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  private static ScrapeCatalogException bad(String message) {
    return new ScrapeCatalogException(ResultCode.BAD_INPUT_VALUE, message);
  }
}
