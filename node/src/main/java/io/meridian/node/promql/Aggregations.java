package io.meridian.node.promql;

import io.meridian.node.promql.Value.Sample;
import io.meridian.protocol.promql.AggregateOp;
import io.meridian.protocol.promql.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PromQL aggregation operators over one instant vector, as Prometheus 2.42's {@code aggregation()}:
 * {@code by} keeps only the listed labels, {@code without} drops the listed labels and {@code
 * __name__}; {@code topk}/{@code bottomk} keep whole input samples, in ranking order per group.
 * Output samples carry the timestamp of the first input sample of their group.
 */
public final class Aggregations {

  /** The largest float64 that converts to an int64 without overflow, as Prometheus checks it. */
  private static final double MAX_INT64 = 9223372036854774784.0;

  private static final double MIN_INT64 = -9223372036854775808.0;

  private Aggregations() {}

  /**
   * Aggregates {@code input}; {@code param} is the evaluated parameter: a {@link Value.Scalar} for
   * {@code topk}, {@code bottomk} and {@code quantile}, a {@link Value.StringValue} for {@code
   * count_values}, null otherwise.
   */
  public static Value.InstantVector aggregate(
      Expr.Aggregate expr, Value.InstantVector input, Value param) {
    AggregateOp op = expr.op();
    return switch (op) {
      case TOPK, BOTTOMK -> topK(op == AggregateOp.TOPK, expr, input, scalar(param));
      case COUNT_VALUES -> countValues(expr, input, ((Value.StringValue) param).value());
      case QUANTILE -> grouped(op, expr.grouping(), expr.without(), input.samples(), scalar(param));
      default -> grouped(op, expr.grouping(), expr.without(), input.samples(), 0);
    };
  }

  /** The labels of the group a series falls into, which are also the labels of its result. */
  static Labels groupLabels(Labels labels, List<String> grouping, boolean without) {
    return without ? labels.without(grouping).withoutMetricName() : labels.keep(grouping);
  }

  private static Value.InstantVector grouped(
      AggregateOp op, List<String> grouping, boolean without, List<Sample> samples, double param) {
    Map<Labels, Aggregator> groups = new LinkedHashMap<>();
    Map<Labels, Long> timestamps = new LinkedHashMap<>();
    for (Sample sample : samples) {
      Labels group = groupLabels(sample.labels(), grouping, without);
      Aggregator aggregator = groups.get(group);
      if (aggregator == null) {
        groups.put(group, Aggregator.start(op, sample.value(), param));
        timestamps.put(group, sample.timestampMs());
      } else {
        aggregator.add(sample.value());
      }
    }
    List<Sample> out = new ArrayList<>(groups.size());
    groups.forEach(
        (labels, aggregator) ->
            out.add(new Sample(labels, timestamps.get(labels), aggregator.result())));
    return new Value.InstantVector(out);
  }

  private static Value.InstantVector countValues(
      Expr.Aggregate expr, Value.InstantVector input, String valueLabel) {
    if (!GoStrings.isValidLabelName(valueLabel)) {
      throw new PromQlException(
          PromQlException.Kind.EXECUTION, "invalid label name " + GoStrings.quote(valueLabel));
    }
    List<String> grouping = new ArrayList<>(expr.grouping());
    if (!expr.without()) {
      grouping.add(valueLabel);
    }
    List<Sample> labelled = new ArrayList<>(input.samples().size());
    for (Sample sample : input.samples()) {
      Labels labels = sample.labels().with(valueLabel, GoFloats.formatPlain(sample.value()));
      labelled.add(new Sample(labels, sample.timestampMs(), sample.value()));
    }
    return grouped(AggregateOp.COUNT_VALUES, grouping, expr.without(), labelled, 0);
  }

  private static Value.InstantVector topK(
      boolean top, Expr.Aggregate expr, Value.InstantVector input, double param) {
    if (!(param <= MAX_INT64 && param >= MIN_INT64)) {
      throw new PromQlException(
          PromQlException.Kind.EXECUTION,
          "Scalar value " + GoFloats.formatValue(param) + " overflows int64");
    }
    long k = (long) param;
    if (k < 1) {
      return new Value.InstantVector(List.of());
    }
    Map<Labels, TopK> groups = new LinkedHashMap<>();
    for (Sample sample : input.samples()) {
      Labels group = groupLabels(sample.labels(), expr.grouping(), expr.without());
      TopK selection = groups.get(group);
      if (selection == null) {
        groups.put(group, new TopK(top, k, sample));
      } else {
        selection.add(sample);
      }
    }
    List<Sample> out = new ArrayList<>();
    groups.values().forEach(selection -> out.addAll(selection.ranked()));
    return new Value.InstantVector(out);
  }

  private static double scalar(Value param) {
    if (param instanceof Value.Scalar scalar) {
      return scalar.value();
    }
    throw new IllegalArgumentException("expected a scalar parameter, got " + param);
  }
}
