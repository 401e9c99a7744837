package io.meridian.node.promql;

import static io.meridian.node.promql.Vectors.assertOrderedVector;
import static io.meridian.node.promql.Vectors.assertVector;
import static io.meridian.node.promql.Vectors.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Scalar;
import io.meridian.node.promql.Value.StringValue;
import io.meridian.protocol.promql.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cases from Prometheus 2.42's {@code promql/testdata/functions.test} and {@code histograms.test}.
 */
class InstantFunctionsTest {

  private static Value call(Function function, Object... args) {
    List<Value> values = new ArrayList<>();
    for (Object arg : args) {
      if (arg instanceof Value value) {
        values.add(value);
      } else if (arg instanceof String s) {
        values.add(new StringValue(Vectors.T, s));
      } else {
        values.add(new Scalar(Vectors.T, ((Number) arg).doubleValue()));
      }
    }
    return InstantFunctions.call(function, values, Vectors.T);
  }

  private static double single(Value result) {
    assertThat(((InstantVector) result).samples()).hasSize(1);
    return ((InstantVector) result).samples().get(0).value();
  }

  private static final InstantVector REPLACE_INPUT =
      vector(
          "testmetric{src=\"source-value-10\",dst=\"original-destination-value\"}", 0,
          "testmetric{src=\"source-value-20\",dst=\"original-destination-value\"}", 1);

  private static final Object[] REPLACE_UNCHANGED = {
    "testmetric{src=\"source-value-10\",dst=\"original-destination-value\"}", 0,
    "testmetric{src=\"source-value-20\",dst=\"original-destination-value\"}", 1
  };

  @Test
  void labelReplaceMatchesTheFullStringAndKeepsTheName() {
    assertVector(
        call(
            Function.LABEL_REPLACE,
            REPLACE_INPUT,
            "dst",
            "destination-value-$1",
            "src",
            "source-value-(.*)"),
        "testmetric{src=\"source-value-10\",dst=\"destination-value-10\"}",
        0,
        "testmetric{src=\"source-value-20\",dst=\"destination-value-20\"}",
        1);
  }

  @Test
  void labelReplaceDoesNotMatchSubstrings() {
    assertVector(
        call(
            Function.LABEL_REPLACE,
            REPLACE_INPUT,
            "dst",
            "destination-value-$1",
            "src",
            "value-(.*)"),
        REPLACE_UNCHANGED);
  }

  @Test
  void labelReplaceWithSeveralGroups() {
    assertVector(
        call(Function.LABEL_REPLACE, REPLACE_INPUT, "dst", "$1-value-$2", "src", "(.*)-value-(.*)"),
        "testmetric{src=\"source-value-10\",dst=\"source-value-10\"}",
        0,
        "testmetric{src=\"source-value-20\",dst=\"source-value-20\"}",
        1);
  }

  @Test
  void labelReplaceOfAMissingSourceThatDoesNotMatch() {
    assertVector(
        call(
            Function.LABEL_REPLACE,
            REPLACE_INPUT,
            "dst",
            "value-$1",
            "nonexistent-src",
            "source-value-(.*)"),
        REPLACE_UNCHANGED);
  }

  @Test
  void labelReplaceOfAMissingSourceThatMatchesEmpty() {
    assertVector(
        call(Function.LABEL_REPLACE, REPLACE_INPUT, "dst", "value-$1", "nonexistent-src", "(.*)"),
        "testmetric{src=\"source-value-10\",dst=\"value-\"}",
        0,
        "testmetric{src=\"source-value-20\",dst=\"value-\"}",
        1);
  }

  @Test
  void labelReplaceWithoutAMatchChangesNothing() {
    assertVector(
        call(Function.LABEL_REPLACE, REPLACE_INPUT, "dst", "value-$1", "src", "non-matching-regex"),
        REPLACE_UNCHANGED);
  }

  @Test
  void labelReplaceToEmptyDropsTheLabel() {
    assertVector(
        call(Function.LABEL_REPLACE, REPLACE_INPUT, "dst", "", "dst", ".*"),
        "testmetric{src=\"source-value-10\"}",
        0,
        "testmetric{src=\"source-value-20\"}",
        1);
  }

  @Test
  void labelReplaceRejectsAnInvalidRegex() {
    assertThatThrownBy(
            () -> call(Function.LABEL_REPLACE, REPLACE_INPUT, "dst", "value-$1", "src", "(.*"))
        .isInstanceOf(PromQlException.class)
        .hasMessage("invalid regular expression in label_replace(): (.*");
  }

  @Test
  void labelReplaceRejectsAnInvalidDestination() {
    assertThatThrownBy(
            () ->
                call(
                    Function.LABEL_REPLACE, REPLACE_INPUT, "invalid-label-name", "", "src", "(.*)"))
        .isInstanceOf(PromQlException.class)
        .hasMessage("invalid destination label name in label_replace(): invalid-label-name");
    assertThatThrownBy(
            () ->
                call(Function.LABEL_REPLACE, new InstantVector(List.of()), "1x", "", "src", "(.*)"))
        .hasMessage("invalid destination label name in label_replace(): 1x");
  }

  @Test
  void labelReplaceExpandsTemplatesAsGo() {
    InstantVector input = vector("m{src=\"ab-cd\"}", 1);
    String regex = "(?P<first>[a-z]+)-(?P<second_part>[a-z]+)";
    assertVector(
        call(Function.LABEL_REPLACE, input, "dst", "${second_part}/$first", "src", regex),
        "m{src=\"ab-cd\",dst=\"cd/ab\"}",
        1);
    // $1x names a group "1x", which does not exist; ${1}x is group 1 then x.
    assertVector(
        call(Function.LABEL_REPLACE, input, "dst", "$1x|${1}x", "src", regex),
        "m{src=\"ab-cd\",dst=\"|abx\"}",
        1);
    assertVector(
        call(Function.LABEL_REPLACE, input, "dst", "$$1 costs $", "src", regex),
        "m{src=\"ab-cd\",dst=\"$1 costs $\"}",
        1);
    assertVector(
        call(Function.LABEL_REPLACE, input, "dst", "$9", "src", regex), "m{src=\"ab-cd\"}", 1);
  }

  @Test
  void labelReplaceDotDoesNotMatchNewline() {
    InstantVector input =
        new InstantVector(
            List.of(new Value.Sample(Labels.of(Map.of("src", "a\nb")), Vectors.T, 1)));
    assertThat(
            ((InstantVector) call(Function.LABEL_REPLACE, input, "dst", "x", "src", ".*"))
                .samples()
                .get(0)
                .labels()
                .get("dst"))
        .isNull();
    assertThat(
            ((InstantVector) call(Function.LABEL_REPLACE, input, "dst", "$1", "src", "a\\n(.)"))
                .samples()
                .get(0)
                .labels()
                .get("dst"))
        .isEqualTo("b");
  }

  private static String replaced(String srcValue, String replacement, String regex) {
    InstantVector input =
        new InstantVector(
            List.of(new Value.Sample(Labels.of(Map.of("src", srcValue)), Vectors.T, 1)));
    return ((InstantVector) call(Function.LABEL_REPLACE, input, "dst", replacement, "src", regex))
        .samples()
        .get(0)
        .labels()
        .get("dst");
  }

  @Test
  void labelReplaceReadsRe2Syntax() {
    assertThat(replaced("ab_1", "$1", "([[:alpha:]]+)_[[:digit:]]")).isEqualTo("ab");
    assertThat(replaced("a-b", "$1", "([[:^alpha:]])b")).isNull();
    assertThat(replaced("a-", "$1", "a([[:^alpha:]])")).isEqualTo("-");
    assertThat(replaced("x{1}", "$1", "(x\\{1})")).isEqualTo("x{1}");
    assertThat(replaced("{a}", "$1", "({a})")).isEqualTo("{a}");
    assertThat(replaced("aa", "$1", "(a{2})")).isEqualTo("aa");
    assertThat(replaced("[&]", "$1", "([[&\\]]+)")).isEqualTo("[&]");
    assertThat(replaced("w_1", "$1", "([[:word:]]+)")).isEqualTo("w_1");
  }

  private static final InstantVector JOIN_INPUT =
      vector(
          "testmetric{src=\"a\",src1=\"b\",src2=\"c\",dst=\"original-destination-value\"}", 0,
          "testmetric{src=\"d\",src1=\"e\",src2=\"f\",dst=\"original-destination-value\"}", 1);

  @Test
  void labelJoinJoinsInOrder() {
    assertVector(
        call(Function.LABEL_JOIN, JOIN_INPUT, "dst", "-", "src", "src1", "src2"),
        "testmetric{src=\"a\",src1=\"b\",src2=\"c\",dst=\"a-b-c\"}",
        0,
        "testmetric{src=\"d\",src1=\"e\",src2=\"f\",dst=\"d-e-f\"}",
        1);
  }

  @Test
  void labelJoinTreatsMissingLabelsAsEmpty() {
    assertVector(
        call(Function.LABEL_JOIN, JOIN_INPUT, "dst", "-", "src", "src3", "src1"),
        "testmetric{src=\"a\",src1=\"b\",src2=\"c\",dst=\"a--b\"}",
        0,
        "testmetric{src=\"d\",src1=\"e\",src2=\"f\",dst=\"d--e\"}",
        1);
  }

  @Test
  void labelJoinToEmptyDropsTheLabel() {
    Object[] expected = {
      "testmetric{src=\"a\",src1=\"b\",src2=\"c\"}",
      0,
      "testmetric{src=\"d\",src1=\"e\",src2=\"f\"}",
      1
    };
    assertVector(
        call(Function.LABEL_JOIN, JOIN_INPUT, "dst", "", "emptysrc", "emptysrc1", "emptysrc2"),
        expected);
    assertVector(call(Function.LABEL_JOIN, JOIN_INPUT, "dst", ", "), expected);
  }

  @Test
  void labelJoinCreatesTheDestination() {
    InstantVector input =
        vector(
            "testmetric1{src=\"foo\",src1=\"bar\",src2=\"foobar\"}", 0,
            "testmetric1{src=\"fizz\",src1=\"buzz\",src2=\"fizzbuzz\"}", 1);
    assertVector(
        call(Function.LABEL_JOIN, input, "dst", ", ", "src", "src1", "src2"),
        "testmetric1{src=\"foo\",src1=\"bar\",src2=\"foobar\",dst=\"foo, bar, foobar\"}",
        0,
        "testmetric1{src=\"fizz\",src1=\"buzz\",src2=\"fizzbuzz\",dst=\"fizz, buzz, fizzbuzz\"}",
        1);
  }

  @Test
  void labelJoinRejectsInvalidNames() {
    assertThatThrownBy(() -> call(Function.LABEL_JOIN, JOIN_INPUT, "dst", "-", "a-b"))
        .isInstanceOf(PromQlException.class)
        .hasMessage("invalid source label name in label_join(): a-b");
    assertThatThrownBy(() -> call(Function.LABEL_JOIN, JOIN_INPUT, "d-st", "-", "src"))
        .hasMessage("invalid destination label name in label_join(): d-st");
  }

  @Test
  void vectorOfAScalar() {
    assertVector(call(Function.VECTOR_OF, 1), "{}", 1);
    assertVector(call(Function.VECTOR_OF, 3600), "{}", 3600);
  }

  @Test
  void scalarOfAVector() {
    assertThat(call(Function.SCALAR_OF, vector("m{a=\"1\"}", 5)))
        .isEqualTo(new Scalar(Vectors.T, 5));
    assertThat(((Scalar) call(Function.SCALAR_OF, vector("a", 1, "b", 2))).value()).isNaN();
    assertThat(((Scalar) call(Function.SCALAR_OF, new InstantVector(List.of()))).value()).isNaN();
  }

  @Test
  void pi() {
    assertThat(call(Function.PI)).isEqualTo(new Scalar(Vectors.T, Math.PI));
  }

  private static final InstantVector CLAMP_INPUT =
      vector(
          "test_clamp{src=\"clamp-a\"}",
          -50,
          "test_clamp{src=\"clamp-b\"}",
          0,
          "test_clamp{src=\"clamp-c\"}",
          100);

  @Test
  void clampMaxAndMin() {
    assertVector(
        call(Function.CLAMP_MAX, CLAMP_INPUT, 75),
        "{src=\"clamp-a\"}",
        -50,
        "{src=\"clamp-b\"}",
        0,
        "{src=\"clamp-c\"}",
        75);
    assertVector(
        call(Function.CLAMP_MIN, CLAMP_INPUT, -25),
        "{src=\"clamp-a\"}",
        -25,
        "{src=\"clamp-b\"}",
        0,
        "{src=\"clamp-c\"}",
        100);
  }

  @Test
  void clamp() {
    assertVector(
        call(Function.CLAMP, CLAMP_INPUT, -25, 75),
        "{src=\"clamp-a\"}",
        -25,
        "{src=\"clamp-b\"}",
        0,
        "{src=\"clamp-c\"}",
        75);
    assertVector(
        call(Function.CLAMP_MAX, call(Function.CLAMP_MIN, CLAMP_INPUT, -20), 70),
        "{src=\"clamp-a\"}",
        -20,
        "{src=\"clamp-b\"}",
        0,
        "{src=\"clamp-c\"}",
        70);
  }

  @Test
  void clampWithNanBoundsGivesNan() {
    Object[] nan = {
      "{src=\"clamp-a\"}",
      Double.NaN,
      "{src=\"clamp-b\"}",
      Double.NaN,
      "{src=\"clamp-c\"}",
      Double.NaN
    };
    assertVector(call(Function.CLAMP, CLAMP_INPUT, 0, Double.NaN), nan);
    assertVector(call(Function.CLAMP, CLAMP_INPUT, Double.NaN, 0), nan);
  }

  @Test
  void clampWithMinAboveMaxGivesNothing() {
    assertVector(call(Function.CLAMP, CLAMP_INPUT, 5, -5));
  }

  @Test
  void clampMinOfInfinityWinsOverNanAsInGo() {
    assertVector(
        call(Function.CLAMP_MIN, vector("a", Double.NaN), Double.POSITIVE_INFINITY),
        "{}",
        Double.POSITIVE_INFINITY);
    assertVector(call(Function.CLAMP_MAX, vector("a", Double.NaN), 1), "{}", Double.NaN);
  }

  @Test
  void sgn() {
    InstantVector input =
        vector(
            "test_sgn{src=\"sgn-a\"}",
            Double.NEGATIVE_INFINITY,
            "test_sgn{src=\"sgn-b\"}",
            Double.POSITIVE_INFINITY,
            "test_sgn{src=\"sgn-c\"}",
            Double.NaN,
            "test_sgn{src=\"sgn-d\"}",
            -50,
            "test_sgn{src=\"sgn-e\"}",
            0,
            "test_sgn{src=\"sgn-f\"}",
            100);
    assertVector(
        call(Function.SGN, input),
        "{src=\"sgn-a\"}",
        -1,
        "{src=\"sgn-b\"}",
        1,
        "{src=\"sgn-c\"}",
        Double.NaN,
        "{src=\"sgn-d\"}",
        -1,
        "{src=\"sgn-e\"}",
        0,
        "{src=\"sgn-f\"}",
        1);
  }

  private static final InstantVector SORT_INPUT =
      vector(
          "http_requests{job=\"api-server\", instance=\"0\", group=\"canary\"}", 300,
          "http_requests{job=\"api-server\", instance=\"1\", group=\"canary\"}", 400,
          "http_requests{job=\"api-server\", instance=\"2\", group=\"canary\"}", Double.NaN,
          "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}", 100,
          "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}", 200,
          "http_requests{job=\"app-server\", instance=\"0\", group=\"canary\"}", 700,
          "http_requests{job=\"app-server\", instance=\"1\", group=\"canary\"}", 800,
          "http_requests{job=\"app-server\", instance=\"0\", group=\"production\"}", 500,
          "http_requests{job=\"app-server\", instance=\"1\", group=\"production\"}", 600);

  @Test
  void sortAscendingWithNanLastAndNamesKept() {
    assertOrderedVector(
        call(Function.SORT, SORT_INPUT),
        "http_requests{group=\"production\", instance=\"0\", job=\"api-server\"}",
        100,
        "http_requests{group=\"production\", instance=\"1\", job=\"api-server\"}",
        200,
        "http_requests{group=\"canary\", instance=\"0\", job=\"api-server\"}",
        300,
        "http_requests{group=\"canary\", instance=\"1\", job=\"api-server\"}",
        400,
        "http_requests{group=\"production\", instance=\"0\", job=\"app-server\"}",
        500,
        "http_requests{group=\"production\", instance=\"1\", job=\"app-server\"}",
        600,
        "http_requests{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        700,
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800,
        "http_requests{group=\"canary\", instance=\"2\", job=\"api-server\"}",
        Double.NaN);
  }

  @Test
  void sortDescendingWithNanLast() {
    assertOrderedVector(
        call(Function.SORT_DESC, SORT_INPUT),
        "http_requests{group=\"canary\", instance=\"1\", job=\"app-server\"}",
        800,
        "http_requests{group=\"canary\", instance=\"0\", job=\"app-server\"}",
        700,
        "http_requests{group=\"production\", instance=\"1\", job=\"app-server\"}",
        600,
        "http_requests{group=\"production\", instance=\"0\", job=\"app-server\"}",
        500,
        "http_requests{group=\"canary\", instance=\"1\", job=\"api-server\"}",
        400,
        "http_requests{group=\"canary\", instance=\"0\", job=\"api-server\"}",
        300,
        "http_requests{group=\"production\", instance=\"1\", job=\"api-server\"}",
        200,
        "http_requests{group=\"production\", instance=\"0\", job=\"api-server\"}",
        100,
        "http_requests{group=\"canary\", instance=\"2\", job=\"api-server\"}",
        Double.NaN);
  }

  @Test
  void sortOfALongVector() {
    Object[] input = new Object[40];
    for (int i = 0; i < 20; i++) {
      input[2 * i] = "m{i=\"" + i + "\"}";
      input[2 * i + 1] = i % 5 == 0 ? Double.NaN : (double) ((i * 7) % 20);
    }
    List<Double> sorted =
        ((InstantVector) call(Function.SORT, vector(input)))
            .samples().stream().map(Value.Sample::value).toList();
    assertThat(sorted.subList(0, 16)).isSorted();
    assertThat(sorted.subList(16, 20)).allMatch(v -> v.isNaN());
  }

  @Test
  void dateFunctionsOfTheEvaluationTime() {
    assertVector(InstantFunctions.call(Function.YEAR, List.of(), 0), "{}", 1970);
    assertVector(InstantFunctions.call(Function.MONTH, List.of(), 0), "{}", 1);
    assertVector(InstantFunctions.call(Function.DAY_OF_MONTH, List.of(), 0), "{}", 1);
    assertVector(InstantFunctions.call(Function.DAY_OF_YEAR, List.of(), 0), "{}", 1);
    assertVector(InstantFunctions.call(Function.DAY_OF_WEEK, List.of(), 0), "{}", 4);
    assertVector(InstantFunctions.call(Function.HOUR, List.of(), 0), "{}", 0);
    assertVector(InstantFunctions.call(Function.MINUTE, List.of(), 0), "{}", 0);
  }

  private static double date(Function function, double unixSeconds) {
    return single(call(function, vector("m{a=\"b\"}", unixSeconds)));
  }

  @Test
  void dateFunctionsOfSampleValues() {
    double t = 1136239445; // 2006-01-02 22:04:05 UTC, a Monday.
    assertThat(date(Function.YEAR, t)).isEqualTo(2006);
    assertThat(date(Function.MONTH, t)).isEqualTo(1);
    assertThat(date(Function.DAY_OF_MONTH, t)).isEqualTo(2);
    assertThat(date(Function.DAY_OF_YEAR, t)).isEqualTo(2);
    assertThat(date(Function.DAY_OF_WEEK, t)).isEqualTo(1);
    assertThat(date(Function.HOUR, t)).isEqualTo(22);
    assertThat(date(Function.MINUTE, t)).isEqualTo(4);
  }

  @Test
  void dateFunctionsAroundLeapSecondsAndLeapYears() {
    assertThat(date(Function.YEAR, 1230767999)).isEqualTo(2008);
    assertThat(date(Function.YEAR, 1230768000)).isEqualTo(2009);
    assertThat(date(Function.MONTH, 1456790399) + date(Function.DAY_OF_MONTH, 1456790399) / 100)
        .isEqualTo(2.29);
    assertThat(date(Function.MONTH, 1456790400) + date(Function.DAY_OF_MONTH, 1456790400) / 100)
        .isEqualTo(3.01);
    assertThat(date(Function.DAY_OF_YEAR, 1483191420)).isEqualTo(366);
    assertThat(date(Function.DAY_OF_YEAR, 1672493820)).isEqualTo(365);
    assertThat(date(Function.DAYS_IN_MONTH, 1454284800)).isEqualTo(29);
    assertThat(date(Function.DAYS_IN_MONTH, 1485907200)).isEqualTo(28);
  }

  @Test
  void dateFunctionsTruncateFractionsAndHandleNegativeTimes() {
    assertThat(date(Function.MINUTE, 59.9)).isEqualTo(0);
    assertThat(date(Function.YEAR, -1)).isEqualTo(1969);
    assertThat(date(Function.DAY_OF_WEEK, -86400)).isEqualTo(3);
    assertThat(date(Function.HOUR, -1)).isEqualTo(23);
  }

  @Test
  void dateFunctionsDropTheMetricName() {
    assertVector(call(Function.YEAR, vector("m{a=\"b\"}", 0)), "{a=\"b\"}", 1970);
  }

  @Test
  void mathFunctionsDropTheMetricName() {
    InstantVector input = vector("m{a=\"1\"}", -2.5, "m{a=\"2\"}", 2.5);
    assertVector(call(Function.ABS, input), "{a=\"1\"}", 2.5, "{a=\"2\"}", 2.5);
    assertVector(call(Function.CEIL, input), "{a=\"1\"}", -2, "{a=\"2\"}", 3);
    assertVector(call(Function.FLOOR, input), "{a=\"1\"}", -3, "{a=\"2\"}", 2);
  }

  @Test
  void exponentialsAndLogarithms() {
    assertThat(single(call(Function.EXP, vector("m", 1)))).isEqualTo(Math.E);
    assertThat(single(call(Function.LN, vector("m", Math.E)))).isEqualTo(1);
    assertThat(single(call(Function.LN, vector("m", -1)))).isNaN();
    assertThat(single(call(Function.LN, vector("m", 0)))).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(single(call(Function.LOG2, vector("m", 8)))).isEqualTo(3);
    assertThat(single(call(Function.LOG2, vector("m", 0.125)))).isEqualTo(-3);
    assertThat(single(call(Function.LOG2, vector("m", 10))))
        .isCloseTo(3.321928094887362, within(1e-15));
    assertThat(single(call(Function.LOG10, vector("m", 1000)))).isCloseTo(3, within(1e-15));
    assertThat(single(call(Function.SQRT, vector("m", 16)))).isEqualTo(4);
    assertThat(single(call(Function.SQRT, vector("m", -1)))).isNaN();
  }

  @Test
  void trigonometry() {
    assertThat(single(call(Function.SIN, vector("m", Math.PI / 2)))).isEqualTo(1);
    assertThat(single(call(Function.COS, vector("m", 0)))).isEqualTo(1);
    assertThat(single(call(Function.TAN, vector("m", 0)))).isEqualTo(0);
    assertThat(single(call(Function.ASIN, vector("m", 1)))).isEqualTo(Math.PI / 2);
    assertThat(single(call(Function.ACOS, vector("m", 2)))).isNaN();
    assertThat(single(call(Function.ATAN, vector("m", 1)))).isEqualTo(Math.PI / 4);
    assertThat(single(call(Function.SINH, vector("m", 0)))).isEqualTo(0);
    assertThat(single(call(Function.COSH, vector("m", 0)))).isEqualTo(1);
    assertThat(single(call(Function.TANH, vector("m", Double.POSITIVE_INFINITY)))).isEqualTo(1);
    assertThat(single(call(Function.DEG, vector("m", Math.PI)))).isEqualTo(180);
    assertThat(single(call(Function.RAD, vector("m", 180)))).isEqualTo(Math.PI);
  }

  @Test
  void inverseHyperbolicFunctionsAsGo() {
    assertThat(single(call(Function.ASINH, vector("m", 1))))
        .isCloseTo(0.881373587019543, within(1e-15));
    assertThat(single(call(Function.ASINH, vector("m", -0.0)))).isEqualTo(-0.0);
    assertThat(single(call(Function.ACOSH, vector("m", 2))))
        .isCloseTo(1.3169578969248166, within(1e-15));
    assertThat(single(call(Function.ACOSH, vector("m", 0.5)))).isNaN();
    assertThat(single(call(Function.ATANH, vector("m", 0.5))))
        .isCloseTo(0.5493061443340548, within(1e-15));
    assertThat(single(call(Function.ATANH, vector("m", 1)))).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(single(call(Function.ATANH, vector("m", 2)))).isNaN();
  }

  @Test
  void roundTiesUp() {
    InstantVector input =
        vector(
            "m{a=\"1\"}", 2.5, "m{a=\"2\"}", -2.5, "m{a=\"3\"}", 0.49999, "m{a=\"4\"}", Double.NaN);
    assertVector(
        call(Function.ROUND, input),
        "{a=\"1\"}",
        3,
        "{a=\"2\"}",
        -2,
        "{a=\"3\"}",
        0,
        "{a=\"4\"}",
        Double.NaN);
  }

  @Test
  void roundToNearest() {
    assertThat(single(call(Function.ROUND, vector("m", 1.234), 0.1))).isEqualTo(1.2);
    assertThat(single(call(Function.ROUND, vector("m", 5), 10))).isEqualTo(10);
    assertThat(single(call(Function.ROUND, vector("m", 14), 10))).isEqualTo(10);
    assertThat(single(call(Function.ROUND, vector("m", 0.37), 0.25))).isEqualTo(0.25);
  }

  private static final InstantVector TEST_HISTOGRAM =
      vector(
          "testhistogram_bucket{le=\"0.1\", start=\"positive\"}", 50,
          "testhistogram_bucket{le=\".2\", start=\"positive\"}", 70,
          "testhistogram_bucket{le=\"1e0\", start=\"positive\"}", 110,
          "testhistogram_bucket{le=\"+Inf\", start=\"positive\"}", 120,
          "testhistogram_bucket{le=\"-.2\", start=\"negative\"}", 10,
          "testhistogram_bucket{le=\"-0.1\", start=\"negative\"}", 20,
          "testhistogram_bucket{le=\"0.3\", start=\"negative\"}", 20,
          "testhistogram_bucket{le=\"+Inf\", start=\"negative\"}", 30);

  private static Value histogramQuantile(double phi, InstantVector buckets) {
    return call(Function.HISTOGRAM_QUANTILE, phi, buckets);
  }

  @Test
  void histogramQuantileOutsideZeroToOne() {
    assertVector(
        histogramQuantile(-0.1, TEST_HISTOGRAM),
        "{start=\"positive\"}",
        Double.NEGATIVE_INFINITY,
        "{start=\"negative\"}",
        Double.NEGATIVE_INFINITY);
    assertVector(
        histogramQuantile(1.01, TEST_HISTOGRAM),
        "{start=\"positive\"}",
        Double.POSITIVE_INFINITY,
        "{start=\"negative\"}",
        Double.POSITIVE_INFINITY);
    assertVector(
        histogramQuantile(Double.NaN, TEST_HISTOGRAM),
        "{start=\"positive\"}",
        Double.NaN,
        "{start=\"negative\"}",
        Double.NaN);
  }

  @Test
  void histogramQuantileInTheLowestBucket() {
    assertVector(
        histogramQuantile(0, TEST_HISTOGRAM),
        "{start=\"positive\"}",
        0,
        "{start=\"negative\"}",
        -0.2);
  }

  @Test
  void histogramQuantileInTheHighestBucketIsTheSecondHighestBound() {
    assertVector(
        histogramQuantile(1, TEST_HISTOGRAM),
        "{start=\"positive\"}",
        1,
        "{start=\"negative\"}",
        0.3);
  }

  @Test
  void histogramQuantileInterpolates() {
    assertVector(
        histogramQuantile(0.2, TEST_HISTOGRAM),
        "{start=\"positive\"}",
        0.048,
        "{start=\"negative\"}",
        -0.2);
    assertVector(
        histogramQuantile(0.5, TEST_HISTOGRAM),
        "{start=\"positive\"}",
        0.15,
        "{start=\"negative\"}",
        -0.15);
    assertVector(
        histogramQuantile(0.8, TEST_HISTOGRAM),
        "{start=\"positive\"}",
        0.72,
        "{start=\"negative\"}",
        0.3);
  }

  @Test
  void histogramQuantileInTheMiddleOfBuckets() {
    InstantVector buckets =
        vector(
            "testhistogram2_bucket{le=\"0\"}", 0,
            "testhistogram2_bucket{le=\"2\"}", 1,
            "testhistogram2_bucket{le=\"4\"}", 2,
            "testhistogram2_bucket{le=\"6\"}", 3,
            "testhistogram2_bucket{le=\"+Inf\"}", 3);
    assertVector(histogramQuantile(1. / 6., buckets), "{}", 1);
    assertVector(histogramQuantile(0.5, buckets), "{}", 3);
    assertVector(histogramQuantile(5. / 6., buckets), "{}", 5);
  }

  /**
   * The per-5m increase of request_duration_seconds_bucket (quantiles ignore the scale of rate).
   */
  private static final InstantVector REQUEST_DURATION =
      vector(
          "{job=\"job1\", instance=\"ins1\", le=\"0.1\"}", 1,
          "{job=\"job1\", instance=\"ins1\", le=\"0.2\"}", 3,
          "{job=\"job1\", instance=\"ins1\", le=\"+Inf\"}", 4,
          "{job=\"job1\", instance=\"ins2\", le=\"0.1\"}", 2,
          "{job=\"job1\", instance=\"ins2\", le=\"0.2\"}", 5,
          "{job=\"job1\", instance=\"ins2\", le=\"+Inf\"}", 6,
          "{job=\"job2\", instance=\"ins1\", le=\"0.1\"}", 3,
          "{job=\"job2\", instance=\"ins1\", le=\"0.2\"}", 4,
          "{job=\"job2\", instance=\"ins1\", le=\"+Inf\"}", 6,
          "{job=\"job2\", instance=\"ins2\", le=\"0.1\"}", 4,
          "{job=\"job2\", instance=\"ins2\", le=\"0.2\"}", 7,
          "{job=\"job2\", instance=\"ins2\", le=\"+Inf\"}", 9);

  @Test
  void histogramQuantilePerSeries() {
    assertVector(
        histogramQuantile(0.3, REQUEST_DURATION),
        "{instance=\"ins1\", job=\"job1\"}",
        0.11,
        "{instance=\"ins2\", job=\"job1\"}",
        0.09,
        "{instance=\"ins1\", job=\"job2\"}",
        0.06,
        "{instance=\"ins2\", job=\"job2\"}",
        0.0675);
    assertVector(
        histogramQuantile(0.5, REQUEST_DURATION),
        "{instance=\"ins1\", job=\"job1\"}",
        0.15,
        "{instance=\"ins2\", job=\"job1\"}",
        0.13333333333333333,
        "{instance=\"ins1\", job=\"job2\"}",
        0.1,
        "{instance=\"ins2\", job=\"job2\"}",
        0.11666666666666667);
  }

  @Test
  void histogramQuantileOfAggregatedBuckets() {
    InstantVector sumByLe = vector("{le=\"0.1\"}", 10, "{le=\"0.2\"}", 19, "{le=\"+Inf\"}", 25);
    assertVector(histogramQuantile(0.3, sumByLe), "{}", 0.075);
    assertVector(histogramQuantile(0.5, sumByLe), "{}", 0.1277777777777778);
    InstantVector sumByLeJob =
        vector(
            "{job=\"job1\", le=\"0.1\"}",
            3,
            "{job=\"job1\", le=\"0.2\"}",
            8,
            "{job=\"job1\", le=\"+Inf\"}",
            10,
            "{job=\"job2\", le=\"0.1\"}",
            7,
            "{job=\"job2\", le=\"0.2\"}",
            11,
            "{job=\"job2\", le=\"+Inf\"}",
            15);
    assertVector(
        histogramQuantile(0.3, sumByLeJob),
        "{job=\"job1\"}",
        0.1,
        "{job=\"job2\"}",
        0.0642857142857143);
    assertVector(
        histogramQuantile(0.5, sumByLeJob), "{job=\"job1\"}", 0.14, "{job=\"job2\"}", 0.1125);
  }

  @Test
  void histogramQuantileMakesCountsMonotonic() {
    InstantVector buckets =
        vector(
            "nonmonotonic_bucket{le=\"0.1\"}", 20,
            "nonmonotonic_bucket{le=\"1\"}", 10,
            "nonmonotonic_bucket{le=\"10\"}", 50,
            "nonmonotonic_bucket{le=\"100\"}", 40,
            "nonmonotonic_bucket{le=\"1000\"}", 90,
            "nonmonotonic_bucket{le=\"+Inf\"}", 80);
    assertVector(histogramQuantile(0.01, buckets), "{}", 0.0045);
    assertVector(histogramQuantile(0.5, buckets), "{}", 8.5);
    assertVector(histogramQuantile(0.99, buckets), "{}", 979.75);
  }

  @Test
  void histogramQuantileMergesEqualBoundsWrittenDifferently() {
    InstantVector buckets =
        vector(
            "{job=\"job1\", instance=\"ins1\", le=\"0.1\"}", 1,
            "{job=\"job1\", instance=\"ins1\", le=\"0.2\"}", 1,
            "{job=\"job1\", instance=\"ins1\", le=\"2e-1\"}", 1,
            "{job=\"job1\", instance=\"ins1\", le=\"2.0e-1\"}", 1,
            "{job=\"job1\", instance=\"ins1\", le=\"+Inf\"}", 4,
            "{job=\"job1\", instance=\"ins2\", le=\"+inf\"}", 0,
            "{job=\"job1\", instance=\"ins2\", le=\"+Inf\"}", 0);
    assertVector(
        histogramQuantile(0.5, buckets),
        "{instance=\"ins1\", job=\"job1\"}",
        0.15,
        "{instance=\"ins2\", job=\"job1\"}",
        Double.NaN);
    assertVector(
        histogramQuantile(0.75, buckets),
        "{instance=\"ins1\", job=\"job1\"}",
        0.2,
        "{instance=\"ins2\", job=\"job1\"}",
        Double.NaN);
    assertVector(
        histogramQuantile(1, buckets),
        "{instance=\"ins1\", job=\"job1\"}",
        0.2,
        "{instance=\"ins2\", job=\"job1\"}",
        Double.NaN);
  }

  @Test
  void histogramQuantileOfEmptyBucketsIsNan() {
    InstantVector buckets =
        vector(
            "empty_bucket{le=\"0.1\", job=\"job1\", instance=\"ins1\"}", 0,
            "empty_bucket{le=\"0.2\", job=\"job1\", instance=\"ins1\"}", 0,
            "empty_bucket{le=\"+Inf\", job=\"job1\", instance=\"ins1\"}", 0);
    assertVector(histogramQuantile(0.2, buckets), "{instance=\"ins1\", job=\"job1\"}", Double.NaN);
  }

  @Test
  void histogramQuantileNeedsAnInfBucketAndTwoBuckets() {
    assertVector(
        histogramQuantile(0.5, vector("h{le=\"1\"}", 1, "h{le=\"2\"}", 2)), "{}", Double.NaN);
    assertVector(histogramQuantile(0.5, vector("h{le=\"+Inf\"}", 2)), "{}", Double.NaN);
  }

  @Test
  void histogramQuantileSkipsSamplesWithoutAValidLe() {
    InstantVector buckets =
        vector(
            "h{le=\"1\"}",
            1,
            "h{le=\"+Inf\"}",
            2,
            "h{le=\"abc\"}",
            5,
            "h{le=\" 3\"}",
            5,
            "h{le=\"1e400\"}",
            5,
            "other",
            7);
    assertVector(histogramQuantile(0.5, buckets), "{}", 1);
  }

  @Test
  void histogramQuantileKeepsDifferentNamesApart() {
    InstantVector buckets =
        vector(
            "a_bucket{job=\"j\", le=\"1\"}",
            1,
            "a_bucket{job=\"j\", le=\"+Inf\"}",
            2,
            "b_bucket{job=\"j\", le=\"1\"}",
            1,
            "b_bucket{job=\"j\", le=\"+Inf\"}",
            2);
    assertThat(((InstantVector) histogramQuantile(0.5, buckets)).samples())
        .hasSize(2)
        .allMatch(s -> s.labels().equals(Vectors.labels("{job=\"j\"}")));
  }

  @Test
  void timeAndTimestamp() {
    assertThat(InstantFunctions.call(Function.TIME, List.of(), 1)).isEqualTo(new Scalar(1, 0.001));
    assertThat(InstantFunctions.call(Function.TIME, List.of(), 3_000_000))
        .isEqualTo(new Scalar(3_000_000, 3000));
    InstantVector stored =
        new InstantVector(List.of(new Value.Sample(Vectors.labels("metric"), 10_000, 1)));
    assertVector(InstantFunctions.call(Function.TIMESTAMP, List.of(stored), 15_000), "{}", 10);
  }

  @Test
  void resultsAreAtTheEvaluationTime() {
    Value result = InstantFunctions.call(Function.ABS, List.of(vector("m", -1)), 42);
    assertThat(((InstantVector) result).samples().get(0).timestampMs()).isEqualTo(42);
  }
}
