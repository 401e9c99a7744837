package io.meridian.protocol.opentsdb.expression;

import io.meridian.protocol.opentsdb.SubQuery;
import java.util.List;

/**
 * A parsed and validated OpenTSDB 2.3 {@code /api/query/exp} request.
 *
 * @param startMs the start of the range, Unix epoch milliseconds, inclusive
 * @param endMs the end of the range, inclusive
 * @param metrics the metrics, each a sub query over the range, in request order
 * @param expressions the expressions, in request order; their variables are known ids and form no
 *     cycle
 * @param outputs what to serialize, in order: the request's outputs or, without any, every
 *     expression
 */
public record ExpressionQuery(
    long startMs,
    long endMs,
    List<Metric> metrics,
    List<Expression> expressions,
    List<Output> outputs) {

  public ExpressionQuery {
    metrics = List.copyOf(metrics);
    expressions = List.copyOf(expressions);
    outputs = List.copyOf(outputs);
  }

  /**
   * One metric of the request.
   *
   * @param id the variable name expressions use
   * @param query the sub query: the metric, its aggregator, the filters of its filter id, the time
   *     section's downsampler and rate
   * @param fill the value where the metric has no point; the downsampler's policy or zero when the
   *     request gave none
   * @param offsetMs how far back the metric is read ({@code timeOffset}); its timestamps are moved
   *     forward by as much so they line up with the other metrics; 0 for none
   */
  public record Metric(String id, SubQuery query, NumericFill fill, long offsetMs) {}

  /**
   * One expression of the request.
   *
   * @param id the expression id, usable as a variable in other expressions and as an output
   * @param expr the expression as written
   * @param parsed the parsed expression
   * @param join how series of different variables are matched
   * @param fill what NaN results become (and how missing values print)
   */
  public record Expression(String id, String expr, Expr parsed, Join join, NumericFill fill) {}

  /**
   * The set operation joining the series of an expression's variables by their tags.
   *
   * @param union whether a tag set present for only some variables is still computed (with the
   *     missing variables' fill values) rather than dropped (intersection)
   * @param useQueryTags whether only the tag keys named by the variables' filters form the join key
   * @param includeAggTags whether the aggregated tag keys are part of the join key
   */
  public record Join(boolean union, boolean useQueryTags, boolean includeAggTags) {

    /** OpenTSDB's default when an expression has no {@code join}. */
    public static final Join DEFAULT = new Join(true, false, true);

    /** The operator name, {@code union} or {@code intersection}. */
    public String operator() {
      return union ? "union" : "intersection";
    }
  }

  /**
   * One requested output.
   *
   * @param id a metric or expression id
   * @param alias a descriptive name, or null
   */
  public record Output(String id, String alias) {}
}
