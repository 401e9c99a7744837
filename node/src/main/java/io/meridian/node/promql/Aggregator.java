package io.meridian.node.promql;

import io.meridian.protocol.promql.AggregateOp;

/**
 * The running state of one group of a PromQL aggregation that yields one value per group, fed the
 * group's sample values in input order as Prometheus' {@code aggregation()} does.
 */
sealed interface Aggregator
    permits SumAggregator,
        AvgAggregator,
        CountAggregator,
        ExtremumAggregator,
        GroupAggregator,
        DeviationAggregator,
        QuantileAggregator {

  /** Adds the next sample value of the group (not the first: that one starts the aggregator). */
  void add(double value);

  /** The group's value. */
  double result();

  /** An aggregator for {@code op} started with the group's first value. */
  static Aggregator start(AggregateOp op, double first, double parameter) {
    return switch (op) {
      case SUM -> new SumAggregator(first);
      case AVG -> new AvgAggregator(first);
      case COUNT, COUNT_VALUES -> new CountAggregator();
      case MIN -> new ExtremumAggregator(first, false);
      case MAX -> new ExtremumAggregator(first, true);
      case GROUP -> new GroupAggregator();
      case STDDEV -> new DeviationAggregator(first, true);
      case STDVAR -> new DeviationAggregator(first, false);
      case QUANTILE -> new QuantileAggregator(first, parameter);
      case TOPK, BOTTOMK -> throw new IllegalArgumentException(op + " keeps samples, see TopK");
    };
  }
}
