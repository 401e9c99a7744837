package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.meridian.node.MeridianNode;
import io.meridian.node.series.SeriesGroup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /api/suggest}: metric names, tag keys or tag values that start with {@code q}, sorted, at
 * most {@code max} (default 25), from the tenant's series.
 */
final class SuggestHandler {

  private static final int DEFAULT_MAX = 25;

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final TsdbResponses responses;

  SuggestHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses) {
    this.node = node;
    this.mapper = mapper;
    this.responses = responses;
  }

  CompletionStage<HttpResponse> get(String tenant, Map<String, List<String>> params) {
    return suggest(tenant, first(params, "type"), first(params, "q"), first(params, "max"));
  }

  CompletionStage<HttpResponse> post(String tenant, Map<String, List<String>> params, byte[] body) {
    JsonNode json = JsonBodies.readObject(mapper, body);
    return suggest(tenant, text(json, "type"), text(json, "q"), text(json, "max"));
  }

  private CompletionStage<HttpResponse> suggest(String tenant, String type, String q, String max) {
    if (type == null || type.isEmpty()) {
      throw TsdbException.badRequest("Missing 'type' parameter", null);
    }
    SeriesGroup.NameKind kind =
        switch (type) {
          case "metrics" -> SeriesGroup.NameKind.METRICS;
          case "tagk" -> SeriesGroup.NameKind.TAGK;
          case "tagv" -> SeriesGroup.NameKind.TAGV;
          default -> throw TsdbException.badRequest("Invalid 'type' parameter:" + type, null);
        };
    int limit = DEFAULT_MAX;
    if (max != null && !max.isEmpty()) {
      try {
        limit = Integer.parseInt(max);
      } catch (NumberFormatException e) {
        throw TsdbException.badRequest("Unable to parse 'max' as a number", max);
      }
      if (limit < 1) {
        throw TsdbException.badRequest("'max' must be at least 1", max);
      }
    }
    return node.series()
        .suggest(tenant, kind, q == null ? "" : q, limit)
        .thenApply(
            names -> {
              ArrayNode array = mapper.createArrayNode();
              names.forEach(array::add);
              return responses.json(StatusCodes.OK, array);
            });
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
