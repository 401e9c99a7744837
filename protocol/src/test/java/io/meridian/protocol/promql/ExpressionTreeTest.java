package io.meridian.protocol.promql;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.promql.Expr.Aggregate;
import io.meridian.protocol.promql.Expr.Binary;
import io.meridian.protocol.promql.Expr.Call;
import io.meridian.protocol.promql.Expr.MatrixSelector;
import io.meridian.protocol.promql.Expr.NumberLiteral;
import io.meridian.protocol.promql.Expr.Paren;
import io.meridian.protocol.promql.Expr.StringLiteral;
import io.meridian.protocol.promql.Expr.Subquery;
import io.meridian.protocol.promql.Expr.Unary;
import io.meridian.protocol.promql.Expr.VectorSelector;
import io.meridian.protocol.promql.VectorMatching.Cardinality;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The trees the parser builds for representative expressions. */
class ExpressionTreeTest {

  private static VectorSelector vs(String name) {
    return new VectorSelector(name, List.of(LabelMatcher.equal("__name__", name)), 0, null);
  }

  private static NumberLiteral num(double v) {
    return new NumberLiteral(v);
  }

  private static Binary scalarOp(BinaryOp op, Expr lhs, Expr rhs) {
    return new Binary(op, lhs, rhs, false, null);
  }

  private static Binary vectorOp(BinaryOp op, Expr lhs, Expr rhs) {
    return new Binary(op, lhs, rhs, false, VectorMatching.oneToOne());
  }

  @Test
  void multiplicationBindsTighterThanAddition() {
    assertThat(PromQlParser.parse("a + b * c"))
        .isEqualTo(vectorOp(BinaryOp.ADD, vs("a"), vectorOp(BinaryOp.MUL, vs("b"), vs("c"))));
    assertThat(PromQlParser.parse("a * b + c"))
        .isEqualTo(vectorOp(BinaryOp.ADD, vectorOp(BinaryOp.MUL, vs("a"), vs("b")), vs("c")));
  }

  @Test
  void powerIsRightAssociativeAndOthersLeftAssociative() {
    assertThat(PromQlParser.parse("a ^ b ^ c"))
        .isEqualTo(vectorOp(BinaryOp.POW, vs("a"), vectorOp(BinaryOp.POW, vs("b"), vs("c"))));
    assertThat(PromQlParser.parse("a - b - c"))
        .isEqualTo(vectorOp(BinaryOp.SUB, vectorOp(BinaryOp.SUB, vs("a"), vs("b")), vs("c")));
    assertThat(PromQlParser.parse("a / b % c"))
        .isEqualTo(vectorOp(BinaryOp.MOD, vectorOp(BinaryOp.DIV, vs("a"), vs("b")), vs("c")));
  }

  @Test
  void precedenceLevelsFollowPrometheus() {
    Expr e = PromQlParser.parse("a or b and c unless d == e + f * g ^ h");
    assertThat(e)
        .isInstanceOfSatisfying(Binary.class, b -> assertThat(b.op()).isEqualTo(BinaryOp.OR));
    Binary unless = (Binary) ((Binary) e).rhs();
    assertThat(unless.op()).isEqualTo(BinaryOp.UNLESS);
    assertThat(((Binary) unless.lhs()).op()).isEqualTo(BinaryOp.AND);
    Binary eq = (Binary) unless.rhs();
    assertThat(eq.op()).isEqualTo(BinaryOp.EQL);
    assertThat(((Binary) eq.rhs()).op()).isEqualTo(BinaryOp.ADD);
  }

  @Test
  void unaryMinusBindsLikeMultiplication() {
    assertThat(PromQlParser.parse("-a ^ b"))
        .isEqualTo(new Unary(true, vectorOp(BinaryOp.POW, vs("a"), vs("b"))));
    assertThat(PromQlParser.parse("-2^2"))
        .isEqualTo(new Unary(true, scalarOp(BinaryOp.POW, num(2), num(2))));
    assertThat(PromQlParser.parse("-a * b"))
        .isEqualTo(vectorOp(BinaryOp.MUL, new Unary(true, vs("a")), vs("b")));
    assertThat(PromQlParser.parse("+a")).isEqualTo(new Unary(false, vs("a")));
  }

  @Test
  void signsOfNumberLiteralsBelongToTheNumberAsInPrometheus() {
    assertThat(PromQlParser.parse("-1*2")).isEqualTo(scalarOp(BinaryOp.MUL, num(-1), num(2)));
    assertThat(PromQlParser.parse("+1 + -2 * 1"))
        .isEqualTo(scalarOp(BinaryOp.ADD, num(1), scalarOp(BinaryOp.MUL, num(-2), num(1))));
    assertThat(PromQlParser.parse("-(1)")).isEqualTo(new Unary(true, new Paren(num(1))));
    assertThat(PromQlParser.parse("-Inf")).isEqualTo(num(Double.NEGATIVE_INFINITY));
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1",
    ".5, 0.5",
    "5., 5",
    "5e-3, 0.005",
    "1E3, 1000",
    "0x1f, 31",
    "0XfF, 255",
    "0755, 493",
    "08, 8",
    "+Inf, Infinity",
    "inf, Infinity",
    "NaN, NaN",
    "nAn, NaN"
  })
  void numbersFollowGoSyntax(String input, double expected) {
    assertThat(Double.valueOf(((NumberLiteral) PromQlParser.parse(input)).value()))
        .isEqualTo(Double.valueOf(expected));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "x[5m]           | 300000",
        "x[1h30m]        | 5400000",
        "x[100ms]        | 100",
        "x[1d]           | 86400000",
        "x[1w]           | 604800000",
        "x[1y]           | 31536000000",
        "x[2m30s]        | 150000",
        "x[1y2w3d4h5m6s7ms] | 33019506007"
      })
  void rangesTakeCompoundDurations(String input, long expectedMs) {
    assertThat(((MatrixSelector) PromQlParser.parse(input)).rangeMs()).isEqualTo(expectedMs);
  }

  @Test
  void stringsResolveGoEscapes() {
    assertThat(PromQlParser.parse("\"a\\nb\\t\\\"c\\\\\""))
        .isEqualTo(new StringLiteral("a\nb\t\"c\\"));
    assertThat(PromQlParser.parse("'it\\'s'")).isEqualTo(new StringLiteral("it's"));
    assertThat(PromQlParser.parse("`raw\\n\"'`")).isEqualTo(new StringLiteral("raw\\n\"'"));
    assertThat(PromQlParser.parse("\"\\x41\\101\\u00e9\\U0001F600\""))
        .isEqualTo(new StringLiteral("AAé\uD83D\uDE00"));
    assertThat(PromQlParser.parse("\"\\xc3\\xa9\"")).isEqualTo(new StringLiteral("é"));
    assertThat(PromQlParser.parse("\"\\a\\b\\f\\r\\v\""))
        .isEqualTo(new StringLiteral("\u0007\b\f\r\u000b"));
  }

  @Test
  void selectorMatchersEndWithTheNameMatcher() {
    assertThat(PromQlParser.parse("foo{a=\"b\", c!~\"d\", e!=`f`, g=~'h'}"))
        .isEqualTo(
            new VectorSelector(
                "foo",
                List.of(
                    LabelMatcher.equal("a", "b"),
                    LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "c", "d"),
                    LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "e", "f"),
                    LabelMatcher.of(LabelMatcher.Type.REGEX, "g", "h"),
                    LabelMatcher.equal("__name__", "foo")),
                0,
                null));
    assertThat(PromQlParser.parse("{__name__=\"foo\"}"))
        .isEqualTo(
            new VectorSelector(null, List.of(LabelMatcher.equal("__name__", "foo")), 0, null));
    assertThat(PromQlParser.parse("foo:bar:rate5m")).isEqualTo(vs("foo:bar:rate5m"));
  }

  @Test
  void keywordsNameMetricsWhereAMetricNameFits() {
    assertThat(PromQlParser.parse("sum")).isEqualTo(vs("sum"));
    assertThat(PromQlParser.parse("offset")).isEqualTo(vs("offset"));
    assertThat(PromQlParser.parse("sum(sum)"))
        .isEqualTo(new Aggregate(AggregateOp.SUM, vs("sum"), null, List.of(), false));
  }

  @Test
  void groupLeftCarriesMatchingAndIncludedLabels() {
    Binary b = (Binary) PromQlParser.parse("foo * on(test, blub) group_left(bar) baz");
    assertThat(b.matching())
        .isEqualTo(
            new VectorMatching(
                Cardinality.MANY_TO_ONE, List.of("test", "blub"), true, List.of("bar")));
    Binary right = (Binary) PromQlParser.parse("foo - ignoring(a) group_right baz");
    assertThat(right.matching())
        .isEqualTo(new VectorMatching(Cardinality.ONE_TO_MANY, List.of("a"), false, List.of()));
  }

  @Test
  void matchingIsPresentExactlyBetweenTwoVectors() {
    assertThat(((Binary) PromQlParser.parse("foo + bar")).matching())
        .isEqualTo(VectorMatching.oneToOne());
    assertThat(((Binary) PromQlParser.parse("foo + 1")).matching()).isNull();
    assertThat(((Binary) PromQlParser.parse("1 + on() foo")).matching()).isNull();
    assertThat(((Binary) PromQlParser.parse("1 + 1")).matching()).isNull();
    assertThat(((Binary) PromQlParser.parse("foo and bar")).matching())
        .isEqualTo(new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of()));
    assertThat(((Binary) PromQlParser.parse("foo unless on(a) bar")).matching())
        .isEqualTo(new VectorMatching(Cardinality.MANY_TO_MANY, List.of("a"), true, List.of()));
  }

  @Test
  void boolModifierIsKept() {
    assertThat(PromQlParser.parse("foo == bool 1"))
        .isEqualTo(new Binary(BinaryOp.EQL, vs("foo"), num(1), true, null));
    assertThat(PromQlParser.parse("1 < bool 2").type()).isEqualTo(ValueType.SCALAR);
  }

  @Test
  void aggregationsInBothForms() {
    assertThat(PromQlParser.parse("sum without (a) (x)"))
        .isEqualTo(new Aggregate(AggregateOp.SUM, vs("x"), null, List.of("a"), true));
    assertThat(PromQlParser.parse("sum(x) by (job, instance)"))
        .isEqualTo(
            new Aggregate(AggregateOp.SUM, vs("x"), null, List.of("job", "instance"), false));
    assertThat(PromQlParser.parse("avg(x)"))
        .isEqualTo(new Aggregate(AggregateOp.AVG, vs("x"), null, List.of(), false));
    assertThat(PromQlParser.parse("topk(3, x)"))
        .isEqualTo(new Aggregate(AggregateOp.TOPK, vs("x"), num(3), List.of(), false));
    assertThat(PromQlParser.parse("count_values(\"v\", x)"))
        .isEqualTo(
            new Aggregate(
                AggregateOp.COUNT_VALUES, vs("x"), new StringLiteral("v"), List.of(), false));
    assertThat(PromQlParser.parse("quantile by (le) (0.9, x)"))
        .isEqualTo(new Aggregate(AggregateOp.QUANTILE, vs("x"), num(0.9), List.of("le"), false));
  }

  @Test
  void offsetAndAtComeInEitherOrder() {
    assertThat(PromQlParser.parse("x offset 5m @ 100"))
        .isEqualTo(new VectorSelector("x", vs("x").matchers(), 300_000, AtModifier.at(100_000)));
    assertThat(PromQlParser.parse("x @ end() offset 1m"))
        .isEqualTo(new VectorSelector("x", vs("x").matchers(), 60_000, AtModifier.end()));
    assertThat(PromQlParser.parse("x @ start()"))
        .isEqualTo(new VectorSelector("x", vs("x").matchers(), 0, AtModifier.start()));
    assertThat(PromQlParser.parse("x offset -5m"))
        .isEqualTo(new VectorSelector("x", vs("x").matchers(), -300_000, null));
    assertThat(PromQlParser.parse("x @ 1.2345"))
        .isEqualTo(new VectorSelector("x", vs("x").matchers(), 0, AtModifier.at(1235)));
    assertThat(PromQlParser.parse("x @ -0.0005"))
        .isEqualTo(new VectorSelector("x", vs("x").matchers(), 0, AtModifier.at(-1)));
    assertThat(PromQlParser.parse("x[5m] offset 1m @ 10"))
        .isEqualTo(
            new MatrixSelector(
                new VectorSelector("x", vs("x").matchers(), 60_000, AtModifier.at(10_000)),
                300_000));
  }

  @Test
  void subqueriesTakeRangeStepOffsetAndAt() {
    assertThat(PromQlParser.parse("rate(x[5m:1m])"))
        .isEqualTo(
            new Call(Function.RATE, List.of(new Subquery(vs("x"), 300_000, 60_000, 0, null))));
    assertThat(PromQlParser.parse("max_over_time(rate(x[5m])[30m:1m])"))
        .isEqualTo(
            new Call(
                Function.MAX_OVER_TIME,
                List.of(
                    new Subquery(
                        new Call(Function.RATE, List.of(new MatrixSelector(vs("x"), 300_000))),
                        1_800_000,
                        60_000,
                        0,
                        null))));
    assertThat(PromQlParser.parse("x[10m:]")).isEqualTo(new Subquery(vs("x"), 600_000, 0, 0, null));
    assertThat(PromQlParser.parse("(a + b)[1h:5m] offset 1m @ end()"))
        .isEqualTo(
            new Subquery(
                new Paren(vectorOp(BinaryOp.ADD, vs("a"), vs("b"))),
                3_600_000,
                300_000,
                60_000,
                AtModifier.end()));
  }

  @Test
  void functionCallsKeepTheirArguments() {
    assertThat(PromQlParser.parse("time()")).isEqualTo(new Call(Function.TIME, List.of()));
    assertThat(PromQlParser.parse("round(x, 5)"))
        .isEqualTo(new Call(Function.ROUND, List.of(vs("x"), num(5))));
    assertThat(PromQlParser.parse("label_join(x, \"d\", \",\", \"a\", \"b\")").type())
        .isEqualTo(ValueType.VECTOR);
    assertThat(PromQlParser.parse("scalar(x)").type()).isEqualTo(ValueType.SCALAR);
  }

  @Test
  void commentsAreSkipped() {
    assertThat(PromQlParser.parse("# rate of x\nfoo # the left side\n + bar # the right side"))
        .isEqualTo(vectorOp(BinaryOp.ADD, vs("foo"), vs("bar")));
  }

  @Test
  void keywordsAreCaseInsensitive() {
    assertThat(PromQlParser.parse("SUM BY (a) (x)"))
        .isEqualTo(new Aggregate(AggregateOp.SUM, vs("x"), null, List.of("a"), false));
    assertThat(PromQlParser.parse("x OFFSET 1m"))
        .isEqualTo(new VectorSelector("x", vs("x").matchers(), 60_000, null));
    assertThat(PromQlParser.parse("a AND b")).isInstanceOf(Binary.class);
  }
}
