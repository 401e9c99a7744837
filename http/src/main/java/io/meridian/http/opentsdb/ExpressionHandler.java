package io.meridian.http.opentsdb;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.node.MeridianNode;
import io.meridian.node.query.QueryResult;
import io.meridian.node.query.QueryService;
import io.meridian.node.query.expression.ExpressionEvaluator;
import io.meridian.node.query.expression.ExpressionSeries;
import io.meridian.node.uid.UidService;
import io.meridian.protocol.opentsdb.BadQueryException;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TsdbQuery;
import io.meridian.protocol.opentsdb.expression.ExpressionQuery;
import io.meridian.protocol.opentsdb.expression.ExpressionQueryParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code POST /api/query/exp} (OpenTSDB 2.3 expression queries): parses and validates the request,
 * runs each metric as an ordinary sub query through {@link QueryService}, computes the expressions
 * with {@link ExpressionEvaluator} and writes OpenTSDB's {@code outputs} shape, each output one
 * table of {@code [timestamp, value per series…]} rows with meta data per column, followed by the
 * request echoed as {@code query}.
 */
final class ExpressionHandler {

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final TsdbResponses responses;

  ExpressionHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses) {
    this.node = node;
    this.mapper = mapper;
    this.responses = responses;
  }

  CompletionStage<HttpResponse> post(String tenant, Map<String, List<String>> params, byte[] body) {
    JsonNode json = JsonBodies.readObject(mapper, body);
    ExpressionQuery query;
    try {
      query = ExpressionQueryParser.fromJson(json, System.currentTimeMillis());
    } catch (BadQueryException e) {
      throw TsdbException.badRequest(e.getMessage(), null);
    }
    // One query per metric: a metric's timeOffset shifts its range, so they need not share one.
    List<CompletableFuture<List<QueryResult>>> runs = new ArrayList<>();
    for (ExpressionQuery.Metric metric : query.metrics()) {
      runs.add(run(tenant, query, metric).toCompletableFuture());
    }
    return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              Map<String, List<QueryResult>> results = new LinkedHashMap<>();
              for (int i = 0; i < runs.size(); i++) {
                results.put(query.metrics().get(i).id(), runs.get(i).join());
              }
              Map<String, List<ExpressionSeries>> outputs =
                  ExpressionEvaluator.evaluate(query, results);
              return responses.json(StatusCodes.OK, write(query, outputs, json));
            });
  }

  private CompletionStage<List<QueryResult>> run(
      String tenant, ExpressionQuery query, ExpressionQuery.Metric metric) {
    SubQuery subQuery = metric.query();
    TsdbQuery tsdbQuery =
        new TsdbQuery(
            query.startMs() - metric.offsetMs(),
            query.endMs() - metric.offsetMs(),
            List.of(subQuery),
            false,
            false,
            true,
            false,
            false,
            null,
            false);
    return Failures.translated(
            () -> node.queries().run(tenant, tsdbQuery),
            failure ->
                failure instanceof UidService.NoSuchUidException unknown
                    ? TsdbException.badRequest(unknown.getMessage(), null)
                    : null)
        .thenApply(
            results -> {
              List<QueryResult> series = new ArrayList<>();
              for (QueryService.Answer answer : results.answers()) {
                answer.outputs().forEach(output -> series.add(output.result()));
              }
              return series;
            });
  }

  private byte[] write(
      ExpressionQuery query, Map<String, List<ExpressionSeries>> outputs, JsonNode request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("outputs");
      for (ExpressionQuery.Output output : query.outputs()) {
        writeOutput(json, output, outputs.get(output.id()));
      }
      json.writeEndArray();
      json.writeFieldName("query");
      json.writeTree(request);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeOutput(
      JsonGenerator json, ExpressionQuery.Output output, List<ExpressionSeries> series)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("id", output.id());
    if (output.alias() != null) {
      json.writeStringField("alias", output.alias());
    }
    // Every series is a column; rows are the union of their timestamps.
    TreeSet<Long> timestamps = new TreeSet<>();
    for (ExpressionSeries s : series) {
      for (long ts : s.timestamps()) {
        timestamps.add(ts);
      }
    }
    json.writeArrayFieldStart("dps");
    for (long ts : timestamps) {
      json.writeStartArray();
      json.writeNumber(ts);
      for (ExpressionSeries s : series) {
        writeValue(json, s.valueAt(ts), s.fill().printsNull());
      }
      json.writeEndArray();
    }
    json.writeEndArray();
    json.writeObjectFieldStart("dpsMeta");
    json.writeNumberField("firstTimestamp", timestamps.isEmpty() ? 0 : timestamps.first());
    json.writeNumberField("lastTimestamp", timestamps.isEmpty() ? 0 : timestamps.last());
    json.writeNumberField("setCount", timestamps.size());
    json.writeNumberField("series", series.size());
    json.writeEndObject();
    json.writeArrayFieldStart("meta");
    json.writeStartObject();
    json.writeNumberField("index", 0);
    json.writeArrayFieldStart("metrics");
    json.writeString("timestamp");
    json.writeEndArray();
    json.writeEndObject();
    for (int i = 0; i < series.size(); i++) {
      ExpressionSeries s = series.get(i);
      json.writeStartObject();
      json.writeNumberField("index", i + 1);
      json.writeArrayFieldStart("metrics");
      for (String metric : s.metrics()) {
        json.writeString(metric);
      }
      json.writeEndArray();
      json.writeObjectFieldStart("commonTags");
      for (Map.Entry<String, String> tag : s.commonTags().entrySet()) {
        json.writeStringField(tag.getKey(), tag.getValue());
      }
      json.writeEndObject();
      json.writeArrayFieldStart("aggregatedTags");
      for (String tagk : s.aggregatedTags()) {
        json.writeString(tagk);
      }
      json.writeEndArray();
      json.writeNumberField("dps", s.timestamps().length);
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /** As OpenTSDB: integral values as integers, NaN as the string "NaN" or, for null fill, null. */
  private static void writeValue(JsonGenerator json, double value, boolean nullFill)
      throws IOException {
    if (Double.isNaN(value)) {
      if (nullFill) {
        json.writeNull();
      } else {
        json.writeString("NaN");
      }
    } else if (Double.isInfinite(value)) {
      json.writeString(value > 0 ? "Infinity" : "-Infinity");
    } else if (TsdbResponses.printsAsInteger(value)) {
      json.writeNumber((long) value);
    } else {
      json.writeNumber(value);
    }
  }
}
