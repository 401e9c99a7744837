package io.meridian.http.prometheus;

import io.meridian.node.promql.Labels;
import io.meridian.node.series.SeriesStore;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.promql.LabelMatcher;
import io.meridian.protocol.promql.PromQlParseException;
import io.meridian.protocol.promql.PromQlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code /api/v1/series}, {@code /api/v1/labels} and {@code /api/v1/label/<name>/values}: which
 * series, label names and label values exist in a time range (by default all time), optionally only
 * among the series {@code match[]} selectors pick.
 */
final class SeriesHandler {

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final SeriesStore store;
  private final PromResponses responses;

  SeriesHandler(SeriesStore store, PromResponses responses) {
    this.store = store;
    this.responses = responses;
  }

  CompletionStage<HttpResponse> series(String tenant, PromParams params) {
    if (params.all("match[]").isEmpty()) {
      throw PromApiException.badData("no match[] parameter provided");
    }
    long start = params.time("start", Long.MIN_VALUE);
    long end = params.time("end", Long.MAX_VALUE);
    List<List<LabelMatcher>> selectors = selectors(params);
    return store
        .seriesMatchingAny(tenant, selectors, start, end)
        .thenApply(
            keys ->
                responses.success(
                    out -> {
                      out.writeStartArray();
                      for (SeriesKey key : keys) {
                        PromJson.writeLabels(out, Labels.of(key));
                      }
                      out.writeEndArray();
                    }));
  }

  CompletionStage<HttpResponse> labels(String tenant, PromParams params) {
    long start = params.time("start", Long.MIN_VALUE);
    long end = params.time("end", Long.MAX_VALUE);
    return store.labelNames(tenant, selectors(params), start, end).thenApply(this::strings);
  }

  CompletionStage<HttpResponse> labelValues(String tenant, String name, PromParams params) {
    if (!LABEL_NAME.matcher(name).matches()) {
      throw PromApiException.badData("invalid label name: \"" + name + "\"");
    }
    long start = params.time("start", Long.MIN_VALUE);
    long end = params.time("end", Long.MAX_VALUE);
    return store.labelValues(tenant, name, selectors(params), start, end).thenApply(this::strings);
  }

  private HttpResponse strings(List<String> values) {
    return responses.success(
        out -> {
          out.writeStartArray();
          for (String value : values) {
            out.writeString(value);
          }
          out.writeEndArray();
        });
  }

  /** The {@code match[]} selectors, each with at least one matcher that rejects the empty value. */
  private static List<List<LabelMatcher>> selectors(PromParams params) {
    List<List<LabelMatcher>> selectors = new ArrayList<>();
    for (String text : params.all("match[]")) {
      List<LabelMatcher> matchers;
      try {
        matchers = PromQlParser.parseSelector(text).matchers();
      } catch (PromQlParseException e) {
        throw PromApiException.invalidParam("match[]", e.getMessage());
      }
      if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
        throw PromApiException.badData("match[] must contain at least one non-empty matcher");
      }
      selectors.add(matchers);
    }
    return selectors;
  }
}
