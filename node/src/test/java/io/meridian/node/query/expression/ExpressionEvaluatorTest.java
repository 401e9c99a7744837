package io.meridian.node.query.expression;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.node.query.QueryResult;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.opentsdb.expression.ExpressionParser;
import io.meridian.protocol.opentsdb.expression.ExpressionQuery;
import io.meridian.protocol.opentsdb.expression.NumericFill;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ExpressionEvaluatorTest {

  private static final List<TagFilter> BY_HOST =
      List.of(new TagFilter("host", "wildcard", "*", true));

  private static ExpressionQuery.Metric metric(String id, String name, NumericFill fill) {
    return new ExpressionQuery.Metric(
        id, new SubQuery(0, "sum", name, BY_HOST, null, false, null, false), fill, 0);
  }

  private static ExpressionQuery.Expression expression(
      String id, String expr, ExpressionQuery.Join join, NumericFill fill) {
    return new ExpressionQuery.Expression(id, expr, ExpressionParser.parse(expr), join, fill);
  }

  private static QueryResult result(String metric, String host, long[] ts, double... values) {
    TreeMap<String, String> tags = new TreeMap<>();
    if (host != null) {
      tags.put("host", host);
    }
    return new QueryResult(metric, tags, List.of(), ts, values, false);
  }

  private static final long[] T = {1000, 2000, 3000};

  /** a: web01 1,2,3 and web02 10,20,30; b: web01 2,2,0 and web03 5 at every timestamp. */
  private static Map<String, List<QueryResult>> data() {
    return Map.of(
        "a",
        List.of(result("m.a", "web01", T, 1, 2, 3), result("m.a", "web02", T, 10, 20, 30)),
        "b",
        List.of(result("m.b", "web01", T, 2, 2, 0), result("m.b", "web03", T, 5, 5, 5)));
  }

  private static Map<String, List<ExpressionSeries>> run(
      NumericFill metricFill, ExpressionQuery.Expression... expressions) {
    List<ExpressionQuery.Output> outputs = new ArrayList<>();
    for (ExpressionQuery.Expression e : expressions) {
      outputs.add(new ExpressionQuery.Output(e.id(), null));
    }
    ExpressionQuery q =
        new ExpressionQuery(
            0,
            10_000,
            List.of(metric("a", "m.a", metricFill), metric("b", "m.b", metricFill)),
            List.of(expressions),
            outputs);
    return ExpressionEvaluator.evaluate(q, data());
  }

  private static final ExpressionQuery.Join INTERSECTION =
      new ExpressionQuery.Join(false, false, true);

  @Test
  void intersectionComputesOnlyTagSetsEveryVariableHas() {
    List<ExpressionSeries> sum =
        run(NumericFill.ZERO, expression("e", "a + b", INTERSECTION, NumericFill.NAN)).get("e");

    assertThat(sum).hasSize(1);
    assertThat(sum.get(0).commonTags()).containsExactly(Map.entry("host", "web01"));
    assertThat(sum.get(0).metrics()).containsExactly("m.a", "m.b");
    assertThat(sum.get(0).timestamps()).containsExactly(1000, 2000, 3000);
    assertThat(sum.get(0).values()).containsExactly(3, 4, 3);
  }

  @Test
  void unionFillsTheMissingVariable() {
    List<ExpressionSeries> sum =
        run(
                NumericFill.ZERO,
                expression("e", "a + b", ExpressionQuery.Join.DEFAULT, NumericFill.NAN))
            .get("e");

    assertThat(sum)
        .extracting(s -> s.commonTags().get("host"))
        .containsExactly("web01", "web02", "web03");
    assertThat(sum.get(1).values()).containsExactly(10, 20, 30);
    assertThat(sum.get(2).values()).containsExactly(5, 5, 5);
    assertThat(sum.get(1).metrics()).containsExactly("m.a");
  }

  @Test
  void divisionByZeroTakesTheExpressionFill() {
    var outputs =
        run(
            NumericFill.ZERO,
            expression("r", "(a - b) / b", INTERSECTION, NumericFill.NAN),
            expression("z", "(a - b) / b", INTERSECTION, new NumericFill("scalar", -1)));

    assertThat(outputs.get("r").get(0).values()).containsExactly(-0.5, 0, Double.NaN);
    assertThat(outputs.get("z").get(0).values()).containsExactly(-0.5, 0, -1);
  }

  @Test
  void nestedExpressionsAndLiterals() {
    var outputs =
        run(
            NumericFill.ZERO,
            expression("e", "a + b", INTERSECTION, NumericFill.NAN),
            expression("e2", "e * 2 + 1", INTERSECTION, NumericFill.NAN));
    assertThat(outputs.get("e2").get(0).values()).containsExactly(7, 9, 7);
  }

  @Test
  void aSingleUngroupedSeriesJoinsEveryTagSet() {
    ExpressionQuery q =
        new ExpressionQuery(
            0,
            10_000,
            List.of(metric("a", "m.a", NumericFill.ZERO), metric("t", "m.t", NumericFill.ZERO)),
            List.of(expression("share", "a / t", INTERSECTION, NumericFill.NAN)),
            List.of(new ExpressionQuery.Output("share", null)));
    var out =
        ExpressionEvaluator.evaluate(
                q,
                Map.of(
                    "a", data().get("a"),
                    "t", List.of(result("m.t", null, T, 10, 10, 10))))
            .get("share");
    assertThat(out).hasSize(2);
    assertThat(out.get(1).values()).containsExactly(1, 2, 3);
  }

  @Test
  void missingTimestampsTakeTheMetricFill() {
    ExpressionQuery q =
        new ExpressionQuery(
            0,
            10_000,
            List.of(
                metric("a", "m.a", NumericFill.NAN),
                metric("b", "m.b", new NumericFill("scalar", 100))),
            List.of(expression("e", "a + b", INTERSECTION, NumericFill.NAN)),
            List.of(new ExpressionQuery.Output("e", null)));
    var out =
        ExpressionEvaluator.evaluate(
                q,
                Map.of(
                    "a", List.of(result("m.a", "web01", new long[] {1000, 2000}, 1, 2)),
                    "b", List.of(result("m.b", "web01", new long[] {2000, 3000}, 5, 6))))
            .get("e");
    assertThat(out.get(0).timestamps()).containsExactly(1000, 2000, 3000);
    assertThat(out.get(0).values()).containsExactly(101, 7, Double.NaN);
  }

  @Test
  void tagsThatDifferBecomeAggregated() {
    ExpressionQuery q =
        new ExpressionQuery(
            0,
            10_000,
            List.of(metric("a", "m.a", NumericFill.ZERO), metric("b", "m.b", NumericFill.ZERO)),
            List.of(
                expression(
                    "e", "a + b", new ExpressionQuery.Join(false, true, true), NumericFill.NAN)),
            List.of(new ExpressionQuery.Output("e", null)));
    TreeMap<String, String> aTags = new TreeMap<>(Map.of("host", "web01", "dc", "lga"));
    TreeMap<String, String> bTags = new TreeMap<>(Map.of("host", "web01", "dc", "sjc"));
    var out =
        ExpressionEvaluator.evaluate(
                q,
                Map.of(
                    "a",
                        List.of(
                            new QueryResult(
                                "m.a", aTags, List.of(), T, new double[] {1, 1, 1}, false)),
                    "b",
                        List.of(
                            new QueryResult(
                                "m.b", bTags, List.of(), T, new double[] {2, 2, 2}, false))))
            .get("e");
    // useQueryTags: only host (the filtered key) joins, so dc differs and is aggregated.
    assertThat(out).hasSize(1);
    assertThat(out.get(0).commonTags()).containsExactly(Map.entry("host", "web01"));
    assertThat(out.get(0).aggregatedTags()).containsExactly("dc");
    assertThat(out.get(0).values()).containsExactly(3, 3, 3);
  }
}
