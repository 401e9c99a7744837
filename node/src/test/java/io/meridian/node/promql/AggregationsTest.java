package io.meridian.node.promql;

import static io.meridian.node.promql.Vectors.assertOrderedVector;
import static io.meridian.node.promql.Vectors.assertVector;
import static io.meridian.node.promql.Vectors.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.protocol.promql.AggregateOp;
import io.meridian.protocol.promql.Expr;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Cases from Prometheus 2.42's {@code promql/testdata/aggregators.test}. */
class AggregationsTest {

  private static final Expr INPUT = new Expr.VectorSelector("x", List.of(), 0, null);

  /** {@code http_requests} at 50m in aggregators.test. */
  private static final InstantVector HTTP_REQUESTS =
      vector(
          "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}", 100,
          "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}", 200,
          "http_requests{job=\"api-server\", instance=\"0\", group=\"canary\"}", 300,
          "http_requests{job=\"api-server\", instance=\"1\", group=\"canary\"}", 400,
          "http_requests{job=\"app-server\", instance=\"0\", group=\"production\"}", 500,
          "http_requests{job=\"app-server\", instance=\"1\", group=\"production\"}", 600,
          "http_requests{job=\"app-server\", instance=\"0\", group=\"canary\"}", 700,
          "http_requests{job=\"app-server\", instance=\"1\", group=\"canary\"}", 800);

  private static final InstantVector API_SERVER = only(HTTP_REQUESTS, "job", "api-server");

  private static InstantVector only(InstantVector v, String label, String value) {
    return new InstantVector(
        v.samples().stream().filter(s -> value.equals(s.labels().get(label))).toList());
  }

  private static Value by(AggregateOp op, InstantVector input, String... labels) {
    return Aggregations.aggregate(
        new Expr.Aggregate(op, INPUT, null, List.of(labels), false), input, null);
  }

  private static Value without(AggregateOp op, InstantVector input, String... labels) {
    return Aggregations.aggregate(
        new Expr.Aggregate(op, INPUT, null, List.of(labels), true), input, null);
  }

  private static Value withParam(
      AggregateOp op, Value param, InstantVector input, boolean without, String... labels) {
    Expr paramExpr = new Expr.NumberLiteral(0);
    return Aggregations.aggregate(
        new Expr.Aggregate(op, INPUT, paramExpr, List.of(labels), without), input, param);
  }

  private static Value.Scalar scalar(double v) {
    return new Value.Scalar(Vectors.T, v);
  }

  @Test
  void sumByGroup() {
    assertVector(
        by(AggregateOp.SUM, API_SERVER, "group"),
        "{group=\"canary\"}",
        700,
        "{group=\"production\"}",
        300);
  }

  @Test
  void avgByGroup() {
    assertVector(
        by(AggregateOp.AVG, API_SERVER, "group"),
        "{group=\"canary\"}",
        350,
        "{group=\"production\"}",
        150);
  }

  @Test
  void countByGroup() {
    assertVector(
        by(AggregateOp.COUNT, API_SERVER, "group"),
        "{group=\"canary\"}",
        2,
        "{group=\"production\"}",
        2);
  }

  @Test
  void sumWithoutDropsTheListedLabelsAndTheMetricName() {
    assertVector(
        without(AggregateOp.SUM, API_SERVER, "instance"),
        "{group=\"canary\",job=\"api-server\"}",
        700,
        "{group=\"production\",job=\"api-server\"}",
        300);
  }

  @Test
  void emptyByAggregatesEverything() {
    assertVector(by(AggregateOp.SUM, API_SERVER), "{}", 1000);
  }

  @Test
  void emptyWithoutKeepsEachSeriesButDropsTheName() {
    assertVector(
        without(AggregateOp.SUM, only(API_SERVER, "group", "production")),
        "{group=\"production\",job=\"api-server\",instance=\"0\"}",
        100,
        "{group=\"production\",job=\"api-server\",instance=\"1\"}",
        200);
  }

  @Test
  void withoutWithMismatchedAndMissingLabels() {
    InstantVector input =
        new InstantVector(
            concat(
                API_SERVER,
                vector(
                    "foo{job=\"api-server\", instance=\"0\", region=\"europe\"}", 900,
                    "foo{job=\"api-server\"}", 1000)));
    assertVector(
        without(AggregateOp.SUM, input, "instance"),
        "{group=\"canary\",job=\"api-server\"}",
        700,
        "{group=\"production\",job=\"api-server\"}",
        300,
        "{region=\"europe\",job=\"api-server\"}",
        900,
        "{job=\"api-server\"}",
        1000);
  }

  @Test
  void minAndMaxByJob() {
    assertVector(
        by(AggregateOp.MIN, HTTP_REQUESTS, "job"),
        "{job=\"api-server\"}",
        100,
        "{job=\"app-server\"}",
        500);
    assertVector(
        by(AggregateOp.MAX, HTTP_REQUESTS, "job"),
        "{job=\"api-server\"}",
        400,
        "{job=\"app-server\"}",
        800);
  }

  @Test
  void byTheMetricNameKeepsIt() {
    assertVector(by(AggregateOp.COUNT, HTTP_REQUESTS, "__name__"), "http_requests", 8);
  }

  @Test
  void standardDeviationAndVariance() {
    assertVector(by(AggregateOp.STDDEV, HTTP_REQUESTS), "{}", 229.12878474779);
    assertVector(
        by(AggregateOp.STDDEV, HTTP_REQUESTS, "instance"),
        "{instance=\"0\"}",
        223.60679774998,
        "{instance=\"1\"}",
        223.60679774998);
    assertVector(by(AggregateOp.STDVAR, HTTP_REQUESTS), "{}", 52500);
    assertVector(
        by(AggregateOp.STDVAR, HTTP_REQUESTS, "instance"),
        "{instance=\"0\"}",
        50000,
        "{instance=\"1\"}",
        50000);
  }

  @Test
  void standardDeviationOfEqualValuesIsExactlyZero() {
    InstantVector same =
        vector(
            "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}", 13.3,
            "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}", 13.3,
            "http_requests{job=\"api-server\", instance=\"0\", group=\"canary\"}", 13.3);
    assertVector(by(AggregateOp.STDDEV, same), "{}", 0.0);
    assertVector(by(AggregateOp.STDVAR, same), "{}", 0.0);
  }

  @Test
  void groupingKeysDoNotRunTogether() {
    InstantVector input =
        vector(
            "label_grouping_test{a=\"aa\", b=\"bb\"}",
            100,
            "label_grouping_test{a=\"a\", b=\"abb\"}",
            200);
    assertVector(
        by(AggregateOp.SUM, input, "a", "b"),
        "{a=\"a\", b=\"abb\"}",
        200,
        "{a=\"aa\", b=\"bb\"}",
        100);
  }

  private static final InstantVector WITH_NAN =
      vector(
          "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}", 1,
          "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}", 2,
          "http_requests{job=\"api-server\", instance=\"0\", group=\"canary\"}", Double.NaN,
          "http_requests{job=\"api-server\", instance=\"1\", group=\"canary\"}", 3,
          "http_requests{job=\"api-server\", instance=\"2\", group=\"canary\"}", 4);

  @Test
  void minAndMaxIgnoreNan() {
    assertVector(by(AggregateOp.MAX, WITH_NAN), "{}", 4);
    assertVector(by(AggregateOp.MIN, WITH_NAN), "{}", 1);
    assertVector(
        by(AggregateOp.MAX, WITH_NAN, "group"),
        "{group=\"production\"}",
        2,
        "{group=\"canary\"}",
        4);
    assertVector(
        by(AggregateOp.MIN, WITH_NAN, "group"),
        "{group=\"production\"}",
        1,
        "{group=\"canary\"}",
        3);
  }

  @Test
  void maxOfOnlyNanIsNan() {
    assertVector(by(AggregateOp.MAX, vector("a", Double.NaN, "b", Double.NaN)), "{}", Double.NaN);
  }

  /** The topk/bottomk data at 50m, with a NaN series and foo = 3. */
  private static final InstantVector TOPK_DATA =
      vector(
          "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}", 100,
          "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}", 200,
          "http_requests{job=\"api-server\", instance=\"2\", group=\"production\"}", Double.NaN,
          "http_requests{job=\"api-server\", instance=\"0\", group=\"canary\"}", 300,
          "http_requests{job=\"api-server\", instance=\"1\", group=\"canary\"}", 400,
          "http_requests{job=\"app-server\", instance=\"0\", group=\"production\"}", 500,
          "http_requests{job=\"app-server\", instance=\"1\", group=\"production\"}", 600,
          "http_requests{job=\"app-server\", instance=\"0\", group=\"canary\"}", 700,
          "http_requests{job=\"app-server\", instance=\"1\", group=\"canary\"}", 800);

  private static InstantVector where(String job, String group) {
    return new InstantVector(
        TOPK_DATA.samples().stream()
            .filter(s -> job == null || job.equals(s.labels().get("job")))
            .filter(s -> group == null || group.equals(s.labels().get("group")))
            .toList());
  }

  @Test
  void topkKeepsFullLabelsInRankingOrder() {
    assertOrderedVector(
        withParam(AggregateOp.TOPK, scalar(3), TOPK_DATA, false),
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800,
        "http_requests{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        700,
        "http_requests{group=\"production\", instance=\"1\", job=\"app-server\"}",
        600);
  }

  @Test
  void topkWithMoreThanAvailable() {
    assertOrderedVector(
        withParam(AggregateOp.TOPK, scalar(5), where("app-server", "canary"), false),
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800,
        "http_requests{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        700);
  }

  @Test
  void bottomkInRankingOrder() {
    assertOrderedVector(
        withParam(AggregateOp.BOTTOMK, scalar(3), TOPK_DATA, false),
        "http_requests{group=\"production\", instance=\"0\", job=\"api-server\"}",
        100,
        "http_requests{group=\"production\", instance=\"1\", job=\"api-server\"}",
        200,
        "http_requests{group=\"canary\", instance=\"0\", job=\"api-server\"}",
        300);
    assertOrderedVector(
        withParam(AggregateOp.BOTTOMK, scalar(5), where("app-server", "canary"), false),
        "http_requests{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        700,
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800);
  }

  @Test
  void topkAndBottomkByGroup() {
    assertVector(
        withParam(AggregateOp.TOPK, scalar(1), TOPK_DATA, false, "group"),
        "http_requests{group=\"production\", instance=\"1\", job=\"app-server\"}",
        600,
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800);
    assertVector(
        withParam(AggregateOp.BOTTOMK, scalar(2), TOPK_DATA, false, "group"),
        "http_requests{group=\"canary\", instance=\"0\", job=\"api-server\"}",
        300,
        "http_requests{group=\"canary\", instance=\"1\", job=\"api-server\"}",
        400,
        "http_requests{group=\"production\", instance=\"0\", job=\"api-server\"}",
        100,
        "http_requests{group=\"production\", instance=\"1\", job=\"api-server\"}",
        200);
    assertOrderedVector(
        withParam(AggregateOp.BOTTOMK, scalar(2), where(null, "production"), false, "group"),
        "http_requests{group=\"production\", instance=\"0\", job=\"api-server\"}",
        100,
        "http_requests{group=\"production\", instance=\"1\", job=\"api-server\"}",
        200);
  }

  @Test
  void nanSortsAwayFromTheTopAndTheBottom() {
    InstantVector input = where("api-server", "production");
    assertOrderedVector(
        withParam(AggregateOp.TOPK, scalar(3), input, false),
        "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}",
        200,
        "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}",
        100,
        "http_requests{job=\"api-server\", instance=\"2\", group=\"production\"}",
        Double.NaN);
    assertOrderedVector(
        withParam(AggregateOp.BOTTOMK, scalar(3), input, false),
        "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}",
        100,
        "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}",
        200,
        "http_requests{job=\"api-server\", instance=\"2\", group=\"production\"}",
        Double.NaN);
  }

  @Test
  void hugeKKeepsEverything() {
    assertOrderedVector(
        withParam(AggregateOp.BOTTOMK, scalar(9999999999.0), where("app-server", "canary"), false),
        "http_requests{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        700,
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800);
    assertOrderedVector(
        withParam(AggregateOp.TOPK, scalar(9999999999.0), where("api-server", "production"), false),
        "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}",
        200,
        "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}",
        100,
        "http_requests{job=\"api-server\", instance=\"2\", group=\"production\"}",
        Double.NaN);
  }

  @Test
  void fractionalKIsTruncated() {
    assertOrderedVector(
        withParam(AggregateOp.TOPK, scalar(2.9), where("app-server", null), false),
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800,
        "http_requests{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        700);
  }

  @Test
  void kBelowOneGivesNothing() {
    assertVector(withParam(AggregateOp.TOPK, scalar(0.5), TOPK_DATA, false));
    assertVector(withParam(AggregateOp.BOTTOMK, scalar(-1), TOPK_DATA, false));
  }

  @Test
  void kBeyondInt64Fails() {
    assertThatThrownBy(() -> withParam(AggregateOp.TOPK, scalar(1e20), TOPK_DATA, false))
        .isInstanceOf(PromQlException.class)
        .hasMessage("Scalar value 1e+20 overflows int64");
    assertThatThrownBy(() -> withParam(AggregateOp.BOTTOMK, scalar(-9.5e18), TOPK_DATA, false))
        .hasMessage("Scalar value -9.5e+18 overflows int64");
    assertThatThrownBy(() -> withParam(AggregateOp.TOPK, scalar(Double.NaN), TOPK_DATA, false))
        .hasMessage("Scalar value NaN overflows int64");
  }

  private static final InstantVector VERSIONS =
      vector(
          "version{job=\"api-server\", instance=\"0\", group=\"production\"}", 6,
          "version{job=\"api-server\", instance=\"1\", group=\"production\"}", 6,
          "version{job=\"api-server\", instance=\"2\", group=\"production\"}", 6,
          "version{job=\"api-server\", instance=\"0\", group=\"canary\"}", 8,
          "version{job=\"api-server\", instance=\"1\", group=\"canary\"}", 8,
          "version{job=\"app-server\", instance=\"0\", group=\"production\"}", 6,
          "version{job=\"app-server\", instance=\"1\", group=\"production\"}", 6,
          "version{job=\"app-server\", instance=\"0\", group=\"canary\"}", 7,
          "version{job=\"app-server\", instance=\"1\", group=\"canary\"}", 7);

  private static Value.StringValue string(String s) {
    return new Value.StringValue(Vectors.T, s);
  }

  @Test
  void countValues() {
    assertVector(
        withParam(AggregateOp.COUNT_VALUES, string("version"), VERSIONS, false),
        "{version=\"6\"}",
        5,
        "{version=\"7\"}",
        2,
        "{version=\"8\"}",
        2);
  }

  @Test
  void countValuesWithout() {
    assertVector(
        withParam(AggregateOp.COUNT_VALUES, string("version"), VERSIONS, true, "instance"),
        "{job=\"api-server\", group=\"production\", version=\"6\"}",
        3,
        "{job=\"api-server\", group=\"canary\", version=\"8\"}",
        2,
        "{job=\"app-server\", group=\"production\", version=\"6\"}",
        2,
        "{job=\"app-server\", group=\"canary\", version=\"7\"}",
        2);
  }

  @Test
  void countValuesOverwritingAGroupingLabel() {
    Object[] expected = {
      "{job=\"6\", group=\"production\"}",
      5,
      "{job=\"8\", group=\"canary\"}",
      2,
      "{job=\"7\", group=\"canary\"}",
      2
    };
    assertVector(
        withParam(AggregateOp.COUNT_VALUES, string("job"), VERSIONS, true, "instance"), expected);
    assertVector(
        withParam(AggregateOp.COUNT_VALUES, string("job"), VERSIONS, false, "job", "group"),
        expected);
  }

  @Test
  void countValuesFormatsValuesAsGoDoes() {
    InstantVector input =
        vector(
            "a",
            0.1,
            "b",
            1e21,
            "c",
            -2.5e-7,
            "d",
            Double.POSITIVE_INFINITY,
            "e",
            Double.NaN,
            "f",
            1.0 / 3);
    assertVector(
        withParam(AggregateOp.COUNT_VALUES, string("v"), input, false),
        "{v=\"0.1\"}",
        1,
        "{v=\"1000000000000000000000\"}",
        1,
        "{v=\"-0.00000025\"}",
        1,
        "{v=\"+Inf\"}",
        1,
        "{v=\"NaN\"}",
        1,
        "{v=\"0.3333333333333333\"}",
        1);
  }

  @Test
  void countValuesRejectsAnInvalidLabelName() {
    assertThatThrownBy(() -> withParam(AggregateOp.COUNT_VALUES, string("a-b"), VERSIONS, false))
        .isInstanceOf(PromQlException.class)
        .hasMessage("invalid label name \"a-b\"");
    assertThatThrownBy(() -> withParam(AggregateOp.COUNT_VALUES, string(""), VERSIONS, false))
        .hasMessage("invalid label name \"\"");
  }

  private static final InstantVector QUANTILE_DATA =
      vector(
          "data{test=\"two samples\",point=\"a\"}", 0,
          "data{test=\"two samples\",point=\"b\"}", 1,
          "data{test=\"three samples\",point=\"a\"}", 0,
          "data{test=\"three samples\",point=\"b\"}", 1,
          "data{test=\"three samples\",point=\"c\"}", 2,
          "data{test=\"uneven samples\",point=\"a\"}", 0,
          "data{test=\"uneven samples\",point=\"b\"}", 1,
          "data{test=\"uneven samples\",point=\"c\"}", 4);

  @Test
  void quantileInterpolatesBetweenRanks() {
    assertVector(
        withParam(AggregateOp.QUANTILE, scalar(0.8), QUANTILE_DATA, true, "point"),
        "{test=\"two samples\"}",
        0.8,
        "{test=\"three samples\"}",
        1.6,
        "{test=\"uneven samples\"}",
        2.8);
  }

  @Test
  void quantileOutsideZeroToOne() {
    assertVector(
        withParam(AggregateOp.QUANTILE, scalar(-1), QUANTILE_DATA, true, "point"),
        "{test=\"two samples\"}",
        Double.NEGATIVE_INFINITY,
        "{test=\"three samples\"}",
        Double.NEGATIVE_INFINITY,
        "{test=\"uneven samples\"}",
        Double.NEGATIVE_INFINITY);
    assertVector(
        withParam(AggregateOp.QUANTILE, scalar(1.5), QUANTILE_DATA, false),
        "{}",
        Double.POSITIVE_INFINITY);
    assertVector(
        withParam(AggregateOp.QUANTILE, scalar(Double.NaN), QUANTILE_DATA, false),
        "{}",
        Double.NaN);
  }

  @Test
  void quantileEdges() {
    assertVector(withParam(AggregateOp.QUANTILE, scalar(0), QUANTILE_DATA, false), "{}", 0);
    assertVector(withParam(AggregateOp.QUANTILE, scalar(1), QUANTILE_DATA, false), "{}", 4);
    assertVector(withParam(AggregateOp.QUANTILE, scalar(0.5), vector("a", 3), false), "{}", 3);
  }

  @Test
  void group() {
    assertVector(
        without(AggregateOp.GROUP, QUANTILE_DATA, "point"),
        "{test=\"two samples\"}",
        1,
        "{test=\"three samples\"}",
        1,
        "{test=\"uneven samples\"}",
        1);
    assertVector(by(AggregateOp.GROUP, vector("foo", 0.8)), "{}", 1);
  }

  private static Value avg(double... values) {
    Object[] samples = new Object[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      samples[2 * i] = "data{point=\"" + i + "\"}";
      samples[2 * i + 1] = values[i];
    }
    return by(AggregateOp.AVG, vector(samples));
  }

  @Test
  void avgWithInfinitiesAndHugeValues() {
    double inf = Double.POSITIVE_INFINITY;
    double big = 9.988465674311579e+307;
    assertVector(avg(8, 10, 12), "{}", 10);
    assertVector(avg(0, inf, inf, 0), "{}", inf);
    assertVector(avg(inf, 0, inf), "{}", inf);
    assertVector(avg(inf, inf, -inf), "{}", Double.NaN);
    assertVector(avg(-inf, -inf, 0), "{}", -inf);
    assertVector(avg(-inf, 0, -inf), "{}", -inf);
    assertVector(avg(-inf, -inf, inf), "{}", Double.NaN);
    assertVector(avg(-inf, 0, inf), "{}", Double.NaN);
    assertVector(avg(big, big, big, big), "{}", big);
    assertVector(avg(-big, -big, -big, -big), "{}", -big);
    assertVector(avg(-big, -big, big, big), "{}", 0);
  }

  @Test
  void sumPropagatesNanAndInfinities() {
    assertVector(by(AggregateOp.SUM, vector("a", 1, "b", Double.NaN)), "{}", Double.NaN);
    assertVector(
        by(AggregateOp.SUM, vector("a", Double.POSITIVE_INFINITY, "b", Double.NEGATIVE_INFINITY)),
        "{}",
        Double.NaN);
  }

  @Test
  void emptyInputGivesNoGroups() {
    assertVector(by(AggregateOp.SUM, new InstantVector(List.of())));
    assertVector(withParam(AggregateOp.TOPK, scalar(2), new InstantVector(List.of()), false));
  }

  @Test
  void resultSamplesCarryTheInputTimestamp() {
    InstantVector result = (InstantVector) by(AggregateOp.SUM, API_SERVER, "group");
    assertThat(result.samples()).allMatch(s -> s.timestampMs() == Vectors.T);
  }

  private static List<Value.Sample> concat(InstantVector a, InstantVector b) {
    return Stream.concat(a.samples().stream(), b.samples().stream()).toList();
  }
}
