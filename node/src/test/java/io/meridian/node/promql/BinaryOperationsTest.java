package io.meridian.node.promql;

import static io.meridian.node.promql.Vectors.assertVector;
import static io.meridian.node.promql.Vectors.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Scalar;
import io.meridian.protocol.promql.BinaryOp;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.VectorMatching;
import io.meridian.protocol.promql.VectorMatching.Cardinality;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Cases from Prometheus 2.42's {@code promql/testdata/operators.test}. */
class BinaryOperationsTest {

  private static final Expr SIDE = new Expr.VectorSelector("x", List.of(), 0, null);

  /** {@code http_requests} at 50m in operators.test. */
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

  /** {@code SUM(http_requests) BY (job)}. */
  private static final InstantVector SUM_BY_JOB =
      vector("{job=\"api-server\"}", 1000, "{job=\"app-server\"}", 2600);

  /** {@code COUNT(http_requests) BY (job)}. */
  private static final InstantVector COUNT_BY_JOB =
      vector("{job=\"api-server\"}", 4, "{job=\"app-server\"}", 4);

  private static InstantVector where(InstantVector v, String label, String value) {
    return new InstantVector(
        v.samples().stream().filter(s -> value.equals(s.labels().get(label))).toList());
  }

  private static Scalar scalar(double v) {
    return new Scalar(Vectors.T, v);
  }

  private static Value apply(BinaryOp op, Value lhs, Value rhs) {
    return apply(op, false, null, lhs, rhs);
  }

  private static Value apply(
      BinaryOp op, boolean returnBool, VectorMatching matching, Value lhs, Value rhs) {
    if (matching == null && lhs instanceof InstantVector && rhs instanceof InstantVector) {
      matching =
          op.isSetOperator()
              ? new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of())
              : VectorMatching.oneToOne();
    }
    return BinaryOperations.apply(
        new Expr.Binary(op, SIDE, SIDE, returnBool, matching), lhs, rhs, Vectors.T);
  }

  private static VectorMatching on(Cardinality card, List<String> labels, String... include) {
    return new VectorMatching(card, labels, true, List.of(include));
  }

  private static VectorMatching ignoring(Cardinality card, List<String> labels, String... include) {
    return new VectorMatching(card, labels, false, List.of(include));
  }

  @Test
  void vectorMinusVector() {
    assertVector(
        apply(BinaryOp.SUB, SUM_BY_JOB, COUNT_BY_JOB),
        "{job=\"api-server\"}",
        996,
        "{job=\"app-server\"}",
        2596);
  }

  @Test
  void scalarMinusVector() {
    assertVector(
        apply(BinaryOp.SUB, scalar(2), SUM_BY_JOB),
        "{job=\"api-server\"}",
        -998,
        "{job=\"app-server\"}",
        -2598);
  }

  @Test
  void scalarDividedByVector() {
    assertVector(
        apply(BinaryOp.DIV, scalar(1000), SUM_BY_JOB),
        "{job=\"api-server\"}",
        1,
        "{job=\"app-server\"}",
        0.38461538461538464);
  }

  @Test
  void vectorMinusScalar() {
    assertVector(
        apply(BinaryOp.SUB, SUM_BY_JOB, scalar(2)),
        "{job=\"api-server\"}",
        998,
        "{job=\"app-server\"}",
        2598);
  }

  @Test
  void moduloTakesTheSignOfTheDividend() {
    assertVector(
        apply(BinaryOp.MOD, SUM_BY_JOB, scalar(3)),
        "{job=\"api-server\"}",
        1,
        "{job=\"app-server\"}",
        2);
    assertVector(
        apply(BinaryOp.MOD, SUM_BY_JOB, scalar(0.3)),
        "{job=\"api-server\"}",
        0.1,
        "{job=\"app-server\"}",
        0.2);
    assertThat(((Scalar) apply(BinaryOp.MOD, scalar(-7), scalar(3))).value()).isEqualTo(-1);
    assertThat(((Scalar) apply(BinaryOp.MOD, scalar(7), scalar(-3))).value()).isEqualTo(1);
    assertThat(((Scalar) apply(BinaryOp.MOD, scalar(5), scalar(0))).value()).isNaN();
  }

  @Test
  void power() {
    assertVector(
        apply(BinaryOp.POW, SUM_BY_JOB, scalar(2)),
        "{job=\"api-server\"}",
        1000000,
        "{job=\"app-server\"}",
        6760000);
    assertVector(
        apply(BinaryOp.MOD, SUM_BY_JOB, scalar(Math.pow(2, Math.pow(3, 2)))),
        "{job=\"api-server\"}",
        488,
        "{job=\"app-server\"}",
        40);
    assertVector(
        apply(BinaryOp.POW, COUNT_BY_JOB, COUNT_BY_JOB),
        "{job=\"api-server\"}",
        256,
        "{job=\"app-server\"}",
        256);
  }

  @Test
  void powerFollowsGoForABaseOfOne() {
    assertThat(((Scalar) apply(BinaryOp.POW, scalar(1), scalar(Double.NaN))).value()).isEqualTo(1);
    assertThat(((Scalar) apply(BinaryOp.POW, scalar(-1), scalar(Double.POSITIVE_INFINITY))).value())
        .isEqualTo(1);
    assertThat(((Scalar) apply(BinaryOp.POW, scalar(Double.NaN), scalar(0))).value()).isEqualTo(1);
  }

  @Test
  void divisionByZero() {
    assertVector(
        apply(BinaryOp.DIV, SUM_BY_JOB, scalar(0)),
        "{job=\"api-server\"}",
        Double.POSITIVE_INFINITY,
        "{job=\"app-server\"}",
        Double.POSITIVE_INFINITY);
    assertThat(((Scalar) apply(BinaryOp.DIV, scalar(-1), scalar(0))).value())
        .isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(((Scalar) apply(BinaryOp.DIV, scalar(0), scalar(0))).value()).isNaN();
  }

  @Test
  void vectorPlusItself() {
    assertVector(
        apply(BinaryOp.ADD, SUM_BY_JOB, SUM_BY_JOB),
        "{job=\"api-server\"}",
        2000,
        "{job=\"app-server\"}",
        5200);
  }

  @Test
  void arithmeticDropsTheMetricName() {
    InstantVector canary = where(where(HTTP_REQUESTS, "job", "api-server"), "group", "canary");
    assertVector(
        apply(BinaryOp.ADD, canary, canary),
        "{group=\"canary\", instance=\"0\", job=\"api-server\"}",
        600,
        "{group=\"canary\", instance=\"1\", job=\"api-server\"}",
        800);
    assertVector(
        apply(BinaryOp.MUL, canary, scalar(-1)),
        "{group=\"canary\", instance=\"0\", job=\"api-server\"}",
        -300,
        "{group=\"canary\", instance=\"1\", job=\"api-server\"}",
        -400);
  }

  @Test
  void atan2KeepsTheMetricNameIn242() {
    assertVector(
        apply(BinaryOp.ATAN2, vector("m{a=\"1\"}", 1), scalar(1)), "m{a=\"1\"}", Math.PI / 4);
    assertThat(((Scalar) apply(BinaryOp.ATAN2, scalar(0), scalar(-1))).value()).isEqualTo(Math.PI);
  }

  @Test
  void andKeepsLeftSamplesWithAMatch() {
    assertVector(
        apply(
            BinaryOp.AND,
            where(HTTP_REQUESTS, "group", "canary"),
            where(HTTP_REQUESTS, "instance", "0")),
        "http_requests{group=\"canary\", instance=\"0\", job=\"api-server\"}",
        300,
        "http_requests{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        700);
  }

  private static InstantVector canaryPlusOne() {
    return (InstantVector) apply(BinaryOp.ADD, where(HTTP_REQUESTS, "group", "canary"), scalar(1));
  }

  private static InstantVector instance0Production() {
    return where(where(HTTP_REQUESTS, "instance", "0"), "group", "production");
  }

  @Test
  void andWithOnAndIgnoring() {
    Object[] expected = {
      "{group=\"canary\", instance=\"0\", job=\"api-server\"}", 301,
      "{group=\"canary\", instance=\"0\", job=\"app-server\"}", 701
    };
    Cardinality mm = Cardinality.MANY_TO_MANY;
    assertVector(
        apply(
            BinaryOp.AND,
            false,
            on(mm, List.of("instance", "job")),
            canaryPlusOne(),
            instance0Production()),
        expected);
    assertVector(
        apply(
            BinaryOp.AND,
            false,
            on(mm, List.of("instance")),
            canaryPlusOne(),
            instance0Production()),
        expected);
    assertVector(
        apply(
            BinaryOp.AND,
            false,
            ignoring(mm, List.of("group")),
            canaryPlusOne(),
            instance0Production()),
        expected);
    assertVector(
        apply(
            BinaryOp.AND,
            false,
            ignoring(mm, List.of("group", "job")),
            canaryPlusOne(),
            instance0Production()),
        expected);
  }

  @Test
  void orAddsRightSamplesWithoutAMatch() {
    assertVector(
        apply(
            BinaryOp.OR,
            where(HTTP_REQUESTS, "group", "canary"),
            where(HTTP_REQUESTS, "group", "production")),
        HTTP_REQUESTS.samples().stream()
            .flatMap(s -> Stream.of(seriesOf(s), (Object) s.value()))
            .toArray());
  }

  @Test
  void orDropsRightSamplesOnOverlap() {
    assertVector(
        apply(BinaryOp.OR, canaryPlusOne(), where(HTTP_REQUESTS, "instance", "1")),
        "{group=\"canary\", instance=\"0\", job=\"api-server\"}",
        301,
        "{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        701,
        "{group=\"canary\", instance=\"1\", job=\"api-server\"}",
        401,
        "{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        801,
        "http_requests{group=\"production\", instance=\"1\", job=\"api-server\"}",
        200,
        "http_requests{group=\"production\", instance=\"1\", job=\"app-server\"}",
        600);
  }

  @Test
  void orOnInstanceAddsOnlySeriesWithoutIt() {
    InstantVector rhs =
        new InstantVector(
            Stream.concat(
                    HTTP_REQUESTS.samples().stream(),
                    vector("vector_matching_a{l=\"x\"}", 10, "vector_matching_a{l=\"y\"}", 20)
                        .samples()
                        .stream())
                .toList());
    Object[] expected = {
      "{group=\"canary\", instance=\"0\", job=\"api-server\"}", 301,
      "{group=\"canary\", instance=\"0\", job=\"app-server\"}", 701,
      "{group=\"canary\", instance=\"1\", job=\"api-server\"}", 401,
      "{group=\"canary\", instance=\"1\", job=\"app-server\"}", 801,
      "vector_matching_a{l=\"x\"}", 10,
      "vector_matching_a{l=\"y\"}", 20
    };
    Cardinality mm = Cardinality.MANY_TO_MANY;
    assertVector(
        apply(BinaryOp.OR, false, on(mm, List.of("instance")), canaryPlusOne(), rhs), expected);
    assertVector(
        apply(BinaryOp.OR, false, ignoring(mm, List.of("l", "group", "job")), canaryPlusOne(), rhs),
        expected);
  }

  @Test
  void unless() {
    InstantVector canary = where(HTTP_REQUESTS, "group", "canary");
    InstantVector instance0 = where(HTTP_REQUESTS, "instance", "0");
    Object[] instance1 = {
      "http_requests{group=\"canary\", instance=\"1\", job=\"api-server\"}", 400,
      "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}", 800
    };
    Cardinality mm = Cardinality.MANY_TO_MANY;
    assertVector(apply(BinaryOp.UNLESS, canary, instance0), instance1);
    assertVector(apply(BinaryOp.UNLESS, false, on(mm, List.of("job")), canary, instance0));
    assertVector(
        apply(BinaryOp.UNLESS, false, on(mm, List.of("job", "instance")), canary, instance0),
        instance1);
    assertVector(
        apply(
            BinaryOp.UNLESS, false, ignoring(mm, List.of("group", "instance")), canary, instance0));
    assertVector(
        apply(BinaryOp.UNLESS, false, ignoring(mm, List.of("group")), canary, instance0),
        instance1);
  }

  @Test
  void setOperatorsWithAnEmptySide() {
    InstantVector empty = new InstantVector(List.of());
    assertVector(apply(BinaryOp.AND, HTTP_REQUESTS, empty));
    assertVector(
        apply(BinaryOp.OR, empty, SUM_BY_JOB),
        "{job=\"api-server\"}",
        1000,
        "{job=\"app-server\"}",
        2600);
    assertVector(
        apply(BinaryOp.UNLESS, SUM_BY_JOB, empty),
        "{job=\"api-server\"}",
        1000,
        "{job=\"app-server\"}",
        2600);
  }

  @Test
  void divisionOnAndIgnoringDropsTheOtherLabels() {
    Object[] expected = {
      "{instance=\"0\", job=\"api-server\"}",
      3,
      "{instance=\"0\", job=\"app-server\"}",
      1.4,
      "{instance=\"1\", job=\"api-server\"}",
      2,
      "{instance=\"1\", job=\"app-server\"}",
      1.3333333333333333
    };
    InstantVector canary = where(HTTP_REQUESTS, "group", "canary");
    InstantVector production = where(HTTP_REQUESTS, "group", "production");
    Cardinality one = Cardinality.ONE_TO_ONE;
    assertVector(
        apply(BinaryOp.DIV, false, on(one, List.of("instance", "job")), canary, production),
        expected);
    assertVector(
        apply(BinaryOp.DIV, false, ignoring(one, List.of("group")), canary, production), expected);
  }

  @Test
  void andOnALabelNeitherSideHasMatchesEverything() {
    InstantVector one = vector("{}", 1);
    assertVector(
        apply(
            BinaryOp.AND,
            false,
            on(Cardinality.MANY_TO_MANY, List.of("dummy")),
            HTTP_REQUESTS,
            one),
        HTTP_REQUESTS.samples().stream()
            .flatMap(s -> Stream.of(seriesOf(s), (Object) s.value()))
            .toArray());
    assertVector(
        apply(
            BinaryOp.AND,
            false,
            ignoring(Cardinality.MANY_TO_MANY, List.of("group", "instance", "job")),
            HTTP_REQUESTS,
            one),
        HTTP_REQUESTS.samples().stream()
            .flatMap(s -> Stream.of(seriesOf(s), (Object) s.value()))
            .toArray());
  }

  @Test
  void comparisonsFilter() {
    assertVector(apply(BinaryOp.GTR, SUM_BY_JOB, scalar(1000)), "{job=\"app-server\"}", 2600);
    assertVector(apply(BinaryOp.LTE, SUM_BY_JOB, scalar(1000)), "{job=\"api-server\"}", 1000);
    assertVector(apply(BinaryOp.NEQ, SUM_BY_JOB, scalar(1000)), "{job=\"app-server\"}", 2600);
    assertVector(apply(BinaryOp.EQL, SUM_BY_JOB, scalar(1000)), "{job=\"api-server\"}", 1000);
  }

  @Test
  void scalarOnTheLeftOfAComparisonKeepsTheVectorValue() {
    assertVector(apply(BinaryOp.LSS, scalar(1000), SUM_BY_JOB), "{job=\"app-server\"}", 2600);
  }

  @Test
  void boolComparisonsGiveZeroOrOne() {
    assertVector(
        apply(BinaryOp.EQL, true, null, SUM_BY_JOB, scalar(1000)),
        "{job=\"api-server\"}",
        1,
        "{job=\"app-server\"}",
        0);
    assertVector(
        apply(BinaryOp.EQL, true, null, SUM_BY_JOB, SUM_BY_JOB),
        "{job=\"api-server\"}",
        1,
        "{job=\"app-server\"}",
        1);
    assertVector(
        apply(BinaryOp.NEQ, true, null, SUM_BY_JOB, SUM_BY_JOB),
        "{job=\"api-server\"}",
        0,
        "{job=\"app-server\"}",
        0);
  }

  @Test
  void scalarComparisonsAreZeroOrOne() {
    assertThat(apply(BinaryOp.EQL, true, null, scalar(0), scalar(1))).isEqualTo(scalar(0));
    assertThat(apply(BinaryOp.EQL, true, null, scalar(1), scalar(1))).isEqualTo(scalar(1));
    assertThat(apply(BinaryOp.GTE, true, null, scalar(Double.NaN), scalar(1))).isEqualTo(scalar(0));
  }

  @Test
  void scalarArithmetic() {
    assertThat(apply(BinaryOp.SUB, scalar(-1), scalar(0))).isEqualTo(scalar(-1));
    assertThat(apply(BinaryOp.MUL, scalar(2), scalar(3))).isEqualTo(scalar(6));
    assertThat(apply(BinaryOp.POW, scalar(2), scalar(10))).isEqualTo(scalar(1024));
  }

  @Test
  void boolComparisonDropsTheMetricName() {
    InstantVector one =
        where(
            where(where(HTTP_REQUESTS, "job", "api-server"), "instance", "0"),
            "group",
            "production");
    assertVector(
        apply(BinaryOp.EQL, true, null, one, scalar(100)),
        "{job=\"api-server\", instance=\"0\", group=\"production\"}",
        1);
  }

  @Test
  void filteringComparisonKeepsTheMetricName() {
    assertVector(
        apply(BinaryOp.GTR, where(HTTP_REQUESTS, "group", "canary"), scalar(700)),
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800);
  }

  @Test
  void comparisonsWithNanNeverHoldExceptNotEqual() {
    InstantVector nan = vector("m", Double.NaN);
    assertVector(apply(BinaryOp.EQL, nan, scalar(Double.NaN)));
    assertVector(apply(BinaryOp.NEQ, nan, scalar(Double.NaN)), "m", Double.NaN);
  }

  private static final InstantVector NODE_VAR =
      vector("node_var{instance=\"abc\",job=\"node\"}", 2);
  private static final InstantVector NODE_ROLE =
      vector("node_role{instance=\"abc\",job=\"node\",role=\"prometheus\"}", 1);
  private static final InstantVector NODE_CPU =
      vector(
          "node_cpu{instance=\"abc\",job=\"node\",mode=\"idle\"}", 3,
          "node_cpu{instance=\"abc\",job=\"node\",mode=\"user\"}", 1,
          "node_cpu{instance=\"def\",job=\"node\",mode=\"idle\"}", 8,
          "node_cpu{instance=\"def\",job=\"node\",mode=\"user\"}", 2);

  @Test
  void groupRightCopiesTheRoleLabel() {
    assertVector(
        apply(
            BinaryOp.MUL,
            false,
            on(Cardinality.ONE_TO_MANY, List.of("instance"), "role"),
            NODE_ROLE,
            NODE_VAR),
        "{instance=\"abc\",job=\"node\",role=\"prometheus\"}",
        2);
    assertVector(
        apply(
            BinaryOp.MUL,
            false,
            ignoring(Cardinality.ONE_TO_MANY, List.of("role"), "role"),
            NODE_ROLE,
            NODE_VAR),
        "{instance=\"abc\",job=\"node\",role=\"prometheus\"}",
        2);
  }

  @Test
  void groupLeftCopiesTheRoleLabel() {
    assertVector(
        apply(
            BinaryOp.MUL,
            false,
            on(Cardinality.MANY_TO_ONE, List.of("instance"), "role"),
            NODE_VAR,
            NODE_ROLE),
        "{instance=\"abc\",job=\"node\",role=\"prometheus\"}",
        2);
    assertVector(
        apply(
            BinaryOp.MUL,
            false,
            ignoring(Cardinality.MANY_TO_ONE, List.of("role"), "role"),
            NODE_VAR,
            NODE_ROLE),
        "{instance=\"abc\",job=\"node\",role=\"prometheus\"}",
        2);
  }

  @Test
  void groupLeftWithInstrumentationLabels() {
    Object[] expected = {
      "{instance=\"abc\",job=\"node\",mode=\"idle\",role=\"prometheus\"}", 3,
      "{instance=\"abc\",job=\"node\",mode=\"user\",role=\"prometheus\"}", 1
    };
    assertVector(
        apply(
            BinaryOp.MUL,
            false,
            ignoring(Cardinality.MANY_TO_ONE, List.of("role", "mode"), "role"),
            NODE_CPU,
            NODE_ROLE),
        expected);
    assertVector(
        apply(
            BinaryOp.MUL,
            false,
            on(Cardinality.MANY_TO_ONE, List.of("instance"), "role"),
            NODE_CPU,
            NODE_ROLE),
        expected);
  }

  @Test
  void ratioOfTotal() {
    InstantVector sumByInstanceJob =
        vector("{instance=\"abc\",job=\"node\"}", 4, "{instance=\"def\",job=\"node\"}", 10);
    Object[] expected = {
      "{instance=\"abc\",job=\"node\",mode=\"idle\"}", .75,
      "{instance=\"abc\",job=\"node\",mode=\"user\"}", .25,
      "{instance=\"def\",job=\"node\",mode=\"idle\"}", .80,
      "{instance=\"def\",job=\"node\",mode=\"user\"}", .20
    };
    assertVector(
        apply(
            BinaryOp.DIV,
            false,
            on(Cardinality.MANY_TO_ONE, List.of("instance")),
            NODE_CPU,
            sumByInstanceJob),
        expected);
    assertVector(
        apply(
            BinaryOp.DIV,
            false,
            ignoring(Cardinality.MANY_TO_ONE, List.of("mode")),
            NODE_CPU,
            sumByInstanceJob),
        expected);
    assertVector(
        apply(
            BinaryOp.DIV,
            false,
            ignoring(Cardinality.MANY_TO_ONE, List.of("mode"), "dummy"),
            NODE_CPU,
            sumByInstanceJob),
        expected);
  }

  @Test
  void ratioOfJobTotal() {
    InstantVector byModeJob =
        vector("{job=\"node\",mode=\"idle\"}", 11, "{job=\"node\",mode=\"user\"}", 3);
    InstantVector byJob = vector("{job=\"node\"}", 14);
    Object[] expected = {
      "{job=\"node\",mode=\"idle\"}",
      0.7857142857142857,
      "{job=\"node\",mode=\"user\"}",
      0.21428571428571427
    };
    assertVector(
        apply(BinaryOp.DIV, false, on(Cardinality.MANY_TO_ONE, List.of("job")), byModeJob, byJob),
        expected);
    assertVector(
        apply(
            BinaryOp.DIV,
            false,
            ignoring(Cardinality.MANY_TO_ONE, List.of("mode")),
            byModeJob,
            byJob),
        expected);
  }

  @Test
  void groupLeftCopiesALabelFromAnUnrelatedMetric() {
    InstantVector randomTimesZero = vector("{foo=\"bar\"}", 0);
    assertVector(
        apply(
            BinaryOp.ADD,
            false,
            on(Cardinality.MANY_TO_ONE, List.of("dummy"), "foo"),
            NODE_CPU,
            randomTimesZero),
        "{instance=\"abc\",job=\"node\",mode=\"idle\",foo=\"bar\"}",
        3,
        "{instance=\"abc\",job=\"node\",mode=\"user\",foo=\"bar\"}",
        1,
        "{instance=\"def\",job=\"node\",mode=\"idle\",foo=\"bar\"}",
        8,
        "{instance=\"def\",job=\"node\",mode=\"user\",foo=\"bar\"}",
        2);
  }

  private static final InstantVector THRESHOLD =
      vector("threshold{instance=\"abc\",job=\"node\",target=\"a@b.com\"}", 0);

  @Test
  void comparisonWithGroupLeftKeepsTheNameAndCopiesTarget() {
    assertVector(
        apply(
            BinaryOp.GTR,
            false,
            on(Cardinality.MANY_TO_ONE, List.of("job", "instance"), "target"),
            NODE_CPU,
            THRESHOLD),
        "node_cpu{instance=\"abc\",job=\"node\",mode=\"idle\",target=\"a@b.com\"}",
        3,
        "node_cpu{instance=\"abc\",job=\"node\",mode=\"user\",target=\"a@b.com\"}",
        1);
  }

  @Test
  void groupLeftWithADefaultWhereTheOneSideLacksTheLabel() {
    InstantVector thresholdOrDefault =
        vector(
            "threshold{instance=\"abc\",job=\"node\",target=\"a@b.com\"}", 0,
            "{instance=\"def\",job=\"node\"}", 1);
    assertVector(
        apply(
            BinaryOp.GTR,
            false,
            on(Cardinality.MANY_TO_ONE, List.of("job", "instance"), "target"),
            NODE_CPU,
            thresholdOrDefault),
        "node_cpu{instance=\"abc\",job=\"node\",mode=\"idle\",target=\"a@b.com\"}",
        3,
        "node_cpu{instance=\"abc\",job=\"node\",mode=\"user\",target=\"a@b.com\"}",
        1,
        "node_cpu{instance=\"def\",job=\"node\",mode=\"idle\"}",
        8,
        "node_cpu{instance=\"def\",job=\"node\",mode=\"user\"}",
        2);
  }

  @Test
  void onWithNoLabelsMatchesSeriesWithNoCommonLabels() {
    assertVector(
        apply(
            BinaryOp.ADD,
            false,
            on(Cardinality.ONE_TO_ONE, List.of()),
            vector("random{foo=\"bar\"}", 2),
            vector("metricA{baz=\"meh\"}", 3)),
        "{}",
        5);
  }

  @Test
  void ignoringNothingIsTheDefault() {
    InstantVector a = vector("metricA{baz=\"meh\"}", 3);
    InstantVector b = vector("metricB{baz=\"meh\"}", 4);
    assertVector(
        apply(BinaryOp.ADD, false, ignoring(Cardinality.ONE_TO_ONE, List.of()), a, b),
        "{baz=\"meh\"}",
        7);
    assertVector(apply(BinaryOp.ADD, a, b), "{baz=\"meh\"}", 7);
  }

  @Test
  void filteringOnInstanceKeepsOnlyTheMatchingLabels() {
    InstantVector a = vector("metricA{instance=\"abc\",job=\"node\"}", 2);
    assertVector(
        apply(BinaryOp.EQL, false, on(Cardinality.ONE_TO_ONE, List.of("instance")), a, a),
        "{instance=\"abc\"}",
        2);
  }

  @Test
  void duplicateSeriesOnTheOneSideFail() {
    InstantVector many = vector("a{x=\"1\"}", 1);
    InstantVector dupes = vector("b{x=\"1\",y=\"1\"}", 1, "b{x=\"1\",y=\"2\"}", 2);
    assertThatThrownBy(
            () -> apply(BinaryOp.ADD, false, on(Cardinality.ONE_TO_ONE, List.of("x")), many, dupes))
        .isInstanceOf(PromQlException.class)
        .hasMessage(
            "found duplicate series for the match group {x=\"1\"} on the right hand-side of the"
                + " operation: [{__name__=\"b\", x=\"1\", y=\"2\"}, {__name__=\"b\", x=\"1\","
                + " y=\"1\"}];many-to-many matching not allowed: matching labels must be unique on"
                + " one side");
    assertThatThrownBy(
            () ->
                apply(BinaryOp.ADD, false, on(Cardinality.ONE_TO_MANY, List.of("x")), dupes, many))
        .hasMessageContaining("on the left hand-side of the operation");
  }

  @Test
  void manyMatchesWithoutGroupModifierFail() {
    InstantVector many = vector("a{x=\"1\",y=\"1\"}", 1, "a{x=\"1\",y=\"2\"}", 2);
    InstantVector one = vector("b{x=\"1\"}", 1);
    assertThatThrownBy(
            () -> apply(BinaryOp.ADD, false, on(Cardinality.ONE_TO_ONE, List.of("x")), many, one))
        .isInstanceOf(PromQlException.class)
        .hasMessage(
            "multiple matches for labels: many-to-one matching must be explicit"
                + " (group_left/group_right)");
  }

  @Test
  void groupLeftResultsMustBeUnique() {
    InstantVector many = vector("a{x=\"1\",y=\"1\"}", 1, "a{x=\"1\",y=\"2\"}", 2);
    InstantVector one = vector("b{x=\"1\"}", 1);
    assertThatThrownBy(
            () ->
                apply(
                    BinaryOp.ADD,
                    false,
                    ignoring(Cardinality.MANY_TO_ONE, List.of("y"), "y"),
                    many,
                    one))
        .isInstanceOf(PromQlException.class)
        .hasMessage("multiple matches for labels: grouping labels must ensure unique matches");
  }

  @Test
  void oneToManyComputesLeftOpRight() {
    assertVector(
        apply(
            BinaryOp.SUB,
            false,
            on(Cardinality.ONE_TO_MANY, List.of("instance")),
            NODE_VAR,
            NODE_CPU),
        "{instance=\"abc\",job=\"node\",mode=\"idle\"}",
        -1,
        "{instance=\"abc\",job=\"node\",mode=\"user\"}",
        1);
  }

  @Test
  void vectorOperationsWithAnEmptySideGiveNothing() {
    assertVector(apply(BinaryOp.ADD, SUM_BY_JOB, new InstantVector(List.of())));
  }

  @Test
  void resultsAreAtTheEvaluationTime() {
    Value result =
        BinaryOperations.apply(
            new Expr.Binary(BinaryOp.OR, SIDE, SIDE, false, null), SUM_BY_JOB, HTTP_REQUESTS, 42);
    assertThat(((InstantVector) result).samples()).hasSize(10).allMatch(s -> s.timestampMs() == 42);
  }

  private static String seriesOf(Value.Sample sample) {
    StringBuilder out =
        new StringBuilder(sample.labels().metricName() == null ? "" : sample.labels().metricName());
    out.append('{');
    sample
        .labels()
        .map()
        .forEach(
            (name, value) -> {
              if (!name.equals(Labels.METRIC_NAME)) {
                out.append(name).append("=\"").append(value).append("\",");
              }
            });
    return out.append('}').toString();
  }
}
