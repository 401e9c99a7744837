package io.meridian.http.opentsdb;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.node.MeridianNode;
import io.meridian.node.annotation.Annotation;
import io.meridian.node.query.QueryResult;
import io.meridian.node.query.QueryService;
import io.meridian.node.uid.UidService;
import io.meridian.protocol.opentsdb.BadQueryException;
import io.meridian.protocol.opentsdb.QueryParser;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.opentsdb.TsdbQuery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /api/query}: parses the GET or POST form into a {@link TsdbQuery}, runs it and writes the
 * results in OpenTSDB's JSON shape, with the TSUIDs ({@code showTSUIDs}), annotations and global
 * annotations ({@code globalAnnotations}) OpenTSDB adds to each result.
 */
final class QueryHandler {

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final TsdbResponses responses;

  QueryHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses) {
    this.node = node;
    this.mapper = mapper;
    this.responses = responses;
  }

  CompletionStage<HttpResponse> get(String tenant, Map<String, List<String>> params) {
    return run(
        tenant, parse(() -> QueryParser.fromQueryString(params, System.currentTimeMillis())));
  }

  CompletionStage<HttpResponse> post(String tenant, Map<String, List<String>> params, byte[] body) {
    JsonNode json = JsonBodies.read(mapper, body);
    return run(tenant, parse(() -> QueryParser.fromJson(json, System.currentTimeMillis())));
  }

  private static TsdbQuery parse(java.util.function.Supplier<TsdbQuery> parser) {
    try {
      return parser.get();
    } catch (BadQueryException e) {
      throw TsdbException.badRequest(e.getMessage(), null);
    }
  }

  private CompletionStage<HttpResponse> run(String tenant, TsdbQuery query) {
    return Failures.translated(
            () -> node.queries().run(tenant, query),
            failure ->
                failure instanceof UidService.NoSuchUidException unknown
                    ? TsdbException.badRequest(unknown.getMessage(), null)
                    : null)
        .thenApply(results -> responses.json(StatusCodes.OK, write(query, results)));
  }

  private byte[] write(TsdbQuery query, QueryService.Results results) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
      json.writeStartArray();
      for (QueryService.Answer answer : results.answers()) {
        for (QueryService.Output output : answer.outputs()) {
          writeResult(json, query, answer.query(), output, results.globalAnnotations());
        }
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void writeResult(
      JsonGenerator json,
      TsdbQuery query,
      SubQuery subQuery,
      QueryService.Output output,
      List<Annotation> globalAnnotations)
      throws IOException {
    QueryResult result = output.result();
    json.writeStartObject();
    json.writeStringField("metric", result.metric());
    json.writeObjectFieldStart("tags");
    for (Map.Entry<String, String> tag : result.tags().entrySet()) {
      json.writeStringField(tag.getKey(), tag.getValue());
    }
    json.writeEndObject();
    json.writeArrayFieldStart("aggregateTags");
    for (String tagk : result.aggregateTags()) {
      json.writeString(tagk);
    }
    json.writeEndArray();
    if (query.showQuery()) {
      writeSubQuery(json, subQuery);
    }
    if (query.showTSUIDs()) {
      json.writeArrayFieldStart("tsuids");
      for (String tsuid : output.tsuids()) {
        json.writeString(tsuid);
      }
      json.writeEndArray();
    }
    // As OpenTSDB: each list only when it has something, global annotations on every result.
    if (!query.noAnnotations()) {
      writeAnnotations(json, "annotations", output.annotations());
      writeAnnotations(json, "globalAnnotations", globalAnnotations);
    }
    json.writeObjectFieldStart("dps");
    long[] timestamps = result.timestamps();
    double[] values = result.values();
    for (int i = 0; i < timestamps.length; i++) {
      long ts = query.msResolution() ? timestamps[i] : timestamps[i] / 1000;
      // Without ms resolution several points can share a second; OpenTSDB keeps the last one.
      if (!query.msResolution() && i + 1 < timestamps.length && timestamps[i + 1] / 1000 == ts) {
        continue;
      }
      json.writeFieldName(Long.toString(ts));
      writeValue(json, values[i], result.nullFill());
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private void writeAnnotations(JsonGenerator json, String field, List<Annotation> annotations)
      throws IOException {
    if (annotations.isEmpty()) {
      return;
    }
    json.writeArrayFieldStart(field);
    for (Annotation annotation : annotations) {
      json.writeTree(AnnotationHandler.toJson(mapper, annotation));
    }
    json.writeEndArray();
  }

  private static void writeValue(JsonGenerator json, double value, boolean nullFill)
      throws IOException {
    if (Double.isNaN(value) && nullFill) {
      json.writeNull();
    } else if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
      // Integral values print as integers, as OpenTSDB prints integer data.
      json.writeNumber((long) value);
    } else {
      json.writeNumber(value);
    }
  }

  private static void writeSubQuery(JsonGenerator json, SubQuery q) throws IOException {
    json.writeObjectFieldStart("query");
    json.writeStringField("aggregator", q.aggregator());
    json.writeStringField("metric", q.metric());
    if (q.byTsuids()) {
      json.writeArrayFieldStart("tsuids");
      for (String tsuid : q.tsuids()) {
        json.writeString(tsuid);
      }
      json.writeEndArray();
    } else {
      json.writeNullField("tsuids");
    }
    if (q.downsample() == null) {
      json.writeNullField("downsample");
    } else {
      json.writeStringField("downsample", q.downsample().spec());
    }
    json.writeBooleanField("rate", q.rate());
    json.writeArrayFieldStart("filters");
    for (TagFilter filter : q.filters()) {
      json.writeStartObject();
      json.writeStringField("tagk", filter.tagk());
      json.writeStringField("filter", filter.filter());
      json.writeBooleanField("group_by", filter.groupBy());
      json.writeStringField("type", filter.type());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeBooleanField("explicitTags", q.explicitTags());
    json.writeNumberField("index", q.index());
    json.writeEndObject();
  }
}
