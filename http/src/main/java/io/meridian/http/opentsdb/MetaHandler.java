package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.meridian.http.HttpSettings;
import io.meridian.protocol.opentsdb.QueryParser;
import io.meridian.protocol.opentsdb.TagFilter;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The OpenTSDB endpoints that describe the server rather than data: {@code /api/aggregators},
 * {@code /api/serializers}, {@code /api/version}, {@code /api/config}, {@code /api/config/filters}
 * and {@code /api/dropcaches}.
 */
final class MetaHandler {

  static final String VERSION = "0.1.0-SNAPSHOT";

  private final ObjectMapper mapper;
  private final TsdbResponses responses;
  private final Config config;
  private final HttpSettings settings;

  MetaHandler(ObjectMapper mapper, TsdbResponses responses, Config config, HttpSettings settings) {
    this.mapper = mapper;
    this.responses = responses;
    this.config = config;
    this.settings = settings;
  }

  HttpResponse aggregators() {
    ArrayNode names = mapper.createArrayNode();
    QueryParser.AGGREGATORS.forEach(names::add);
    return responses.json(StatusCodes.OK, names);
  }

  HttpResponse serializers() {
    ArrayNode list = mapper.createArrayNode();
    ObjectNode json = list.addObject();
    json.put("serializer", TsdbResponses.SERIALIZER);
    json.put("class", "io.meridian.http.opentsdb.TsdbResponses");
    json.put("request_content_type", "application/json");
    json.put("response_content_type", "application/json; charset=UTF-8");
    ArrayNode parsers = json.putArray("parsers");
    for (String parser : new String[] {"parsePutV1", "parseQueryV1"}) {
      parsers.add(parser);
    }
    ArrayNode formatters = json.putArray("formatters");
    for (String formatter :
        new String[] {
          "formatPutV1",
          "formatQueryV1",
          "formatAggregatorsV1",
          "formatSerializersV1",
          "formatVersionV1",
          "formatConfigV1",
          "formatFilterConfigV1",
          "formatDropCachesV1",
          "formatStatsV1",
          "formatErrorV1"
        }) {
      formatters.add(formatter);
    }
    return responses.json(StatusCodes.OK, list);
  }

  HttpResponse version() {
    ObjectNode version = mapper.createObjectNode();
    version.put("version", VERSION);
    version.put("short_revision", "");
    version.put("full_revision", "");
    version.put("repo", "meridian");
    version.put("repo_status", "");
    version.put("branch", "");
    version.put("user", "");
    version.put("host", TsdbResponses.hostName());
    version.put("timestamp", "");
    version.put("implementation", "Meridian (OpenTSDB 2.4 HTTP API)");
    return responses.json(StatusCodes.OK, version);
  }

  /**
   * The effective configuration as flat string pairs: OpenTSDB's names for the settings that have
   * an OpenTSDB equivalent, then every {@code meridian.*} key.
   */
  HttpResponse config() {
    Map<String, String> flat = new TreeMap<>();
    flat.put("tsd.network.port", Integer.toString(settings.port()));
    flat.put("tsd.network.bind", settings.host());
    flat.put("tsd.http.show_stack_trace", Boolean.toString(settings.showStackTrace()));
    flat.put(
        "tsd.http.request.cors_domains",
        String.join(",", config.getStringList("meridian.http.cors.domains")));
    flat.put("tsd.http.request.enable_chunked", "true");
    flat.put(
        "tsd.http.request.max_chunk",
        config.getString("pekko.http.server.parsing.max-content-length"));
    flat.put("tsd.core.auto_create_metrics", "true");
    flat.put("tsd.storage.fix_duplicates", "true");
    for (Map.Entry<String, ConfigValue> entry : config.getConfig("meridian").entrySet()) {
      flat.put("meridian." + entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
    }
    ObjectNode body = mapper.createObjectNode();
    flat.forEach(body::put);
    return responses.json(StatusCodes.OK, body);
  }

  HttpResponse filters() {
    ObjectNode body = mapper.createObjectNode();
    describe(
        body,
        TagFilter.LITERAL_OR,
        "host=literal_or(web01|web02)",
        "Accepts one or more exact values and matches if the series contains any of them."
            + " Multiple values separated by |. Case sensitive.");
    describe(
        body,
        TagFilter.ILITERAL_OR,
        "host=iliteral_or(web01|WEB02)",
        "Like literal_or, case insensitive.");
    describe(
        body,
        TagFilter.NOT_LITERAL_OR,
        "host=not_literal_or(web01|web02)",
        "Accepts one or more exact values and matches if the series does NOT contain any of"
            + " them. Case sensitive.");
    describe(
        body,
        TagFilter.NOT_ILITERAL_OR,
        "host=not_iliteral_or(web01|WEB02)",
        "Like not_literal_or, case insensitive.");
    describe(
        body,
        TagFilter.WILDCARD,
        "host=wildcard(web*)  host=wildcard(*.example.com)",
        "Performs pre, post and in-fix glob matching of values. The globs are case sensitive and"
            + " multiple wildcards can be used. A lone * matches every value.");
    describe(body, TagFilter.IWILDCARD, "host=iwildcard(WEB*)", "Like wildcard, case insensitive.");
    describe(
        body,
        TagFilter.REGEXP,
        "host=regexp(.*)  host=regexp(web[0-9]+.example.com)",
        "Provides full, POSIX compliant regular expression using the built in Java Pattern"
            + " class. Note that an expression containing curly braces {} will not parse"
            + " properly in URLs.");
    return responses.json(StatusCodes.OK, body);
  }

  private static void describe(ObjectNode body, String type, String examples, String description) {
    ObjectNode filter = body.putObject(type);
    filter.put("examples", examples);
    filter.put("description", description);
  }

  /** Meridian keeps no caches that can go stale; answered as OpenTSDB does for compatibility. */
  HttpResponse dropCaches() {
    ObjectNode body = mapper.createObjectNode();
    body.put("message", "Caches dropped");
    body.put("status", "200");
    return responses.json(StatusCodes.OK, body);
  }
}
