package io.meridian.node.query;

import io.meridian.node.series.SeriesStore;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TsdbQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs OpenTSDB queries: for each sub query, selects the matching series from the series store
 * (scattered to the tenant's groups) over the range the evaluator needs, then evaluates it.
 */
public final class QueryService {

  /** The results of one sub query, in the order the evaluator produced them. */
  public record Answer(SubQuery query, List<QueryResult> results) {}

  /** A sub query names a metric the tenant has never written (OpenTSDB's "No such name"). */
  public static final class NoSuchMetricException extends RuntimeException {
    public NoSuchMetricException(String metric) {
      super("No such name for 'metrics': '" + metric + "'");
    }
  }

  private final SeriesStore store;

  public QueryService(SeriesStore store) {
    this.store = store;
  }

  /** Answers in sub query order; fails with {@link NoSuchMetricException} for unknown metrics. */
  public CompletionStage<List<Answer>> run(String tenant, TsdbQuery query) {
    List<CompletableFuture<Answer>> answers = new ArrayList<>(query.queries().size());
    for (SubQuery subQuery : query.queries()) {
      long[] range =
          SubQueryEvaluator.scanRange(
              subQuery, query.startMs(), query.endMs(), query.msResolution());
      answers.add(
          store
              .select(
                  tenant,
                  subQuery.metric(),
                  subQuery.filters(),
                  subQuery.explicitTags(),
                  range[0],
                  range[1])
              .thenApply(
                  selection -> {
                    if (!selection.metricKnown()) {
                      throw new NoSuchMetricException(subQuery.metric());
                    }
                    return new Answer(
                        subQuery,
                        SubQueryEvaluator.evaluate(
                            subQuery,
                            selection.series(),
                            query.startMs(),
                            query.endMs(),
                            query.msResolution()));
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> answers.stream().map(CompletableFuture::join).toList());
  }
}
