package io.meridian.node.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registry of the aggregation functions, by query name. The names are the same as {@code
 * io.meridian.protocol.opentsdb.QueryParser.AGGREGATORS}, which validates queries.
 */
public final class Aggregators {

  private static final Map<String, Aggregator> BY_NAME = new LinkedHashMap<>();

  static {
    register(new SumAggregator());
    register(new ZimSumAggregator());
    register(new AvgAggregator());
    register(new MinAggregator());
    register(new MaxAggregator());
    register(new MimMinAggregator());
    register(new MimMaxAggregator());
    register(new CountAggregator());
    register(new DevAggregator());
    register(new NoneAggregator());
    register(new FirstAggregator());
    register(new LastAggregator());
    register(new MultiplyAggregator());
    for (PercentileAggregator.Estimation estimation : PercentileAggregator.Estimation.values()) {
      for (double percentile : new double[] {50, 75, 90, 95, 99, 99.9}) {
        register(new PercentileAggregator(percentile, estimation));
      }
    }
  }

  private Aggregators() {}

  private static void register(Aggregator aggregator) {
    if (BY_NAME.put(aggregator.name(), aggregator) != null) {
      throw new IllegalStateException("duplicate aggregator " + aggregator.name());
    }
  }

  /**
   * Returns the aggregator called {@code name}.
   *
   * @throws NoSuchElementException if there is none (queries are validated before this is called)
   */
  public static Aggregator get(String name) {
    Aggregator aggregator = BY_NAME.get(name);
    if (aggregator == null) {
      throw new NoSuchElementException("No such aggregator: " + name);
    }
    return aggregator;
  }

  /** The names of all aggregators, sorted. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(new TreeSet<>(BY_NAME.keySet()));
  }
}
