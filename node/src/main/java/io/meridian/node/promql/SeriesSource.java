package io.meridian.node.promql;

import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.promql.LabelMatcher;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where the PromQL engine reads raw samples: the series of a tenant whose labels ({@code __name__}
 * = metric, other labels = tags) pass every matcher, with their samples in {@code [minMs, maxMs]}
 * sorted by timestamp. The cluster's series store implements it; tests use an in-memory one.
 */
public interface SeriesSource {

  CompletionStage<List<SeriesSamples>> select(
      String tenant, List<LabelMatcher> matchers, long minMs, long maxMs);
}
