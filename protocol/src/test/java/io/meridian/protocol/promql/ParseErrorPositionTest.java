package io.meridian.protocol.promql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Errors carry the position of the problem, and read as Prometheus 2.42 prints them. */
class ParseErrorPositionTest {

  @Test
  void unexpectedEndOfInputIsAtTheEnd() {
    assertThatThrownBy(() -> PromQlParser.parse("1+"))
        .isInstanceOf(PromQlParseException.class)
        .hasMessage("1:3: parse error: unexpected end of input")
        .extracting(e -> ((PromQlParseException) e).position())
        .isEqualTo(2);
  }

  @Test
  void typeErrorsPointAtTheOffendingArgument() {
    assertThatThrownBy(() -> PromQlParser.parse("sum(rate(x))"))
        .hasMessage(
            "1:10: parse error: expected type range vector in call to function \"rate\", got"
                + " instant vector")
        .extracting(e -> ((PromQlParseException) e).position())
        .isEqualTo(9);
  }

  @Test
  void scalarComparisonsPointAtTheOperator() {
    assertThatThrownBy(() -> PromQlParser.parse("1 == 1"))
        .hasMessage("1:3: parse error: comparisons between scalars must use BOOL modifier");
  }

  @Test
  void linesAndColumnsCountFromOne() {
    assertThatThrownBy(() -> PromQlParser.parse("foo +\n  bar +\n  *"))
        .hasMessage("3:3: parse error: unexpected <op:*>")
        .extracting(e -> ((PromQlParseException) e).position())
        .isEqualTo(16);
  }

  @Test
  void syntaxErrorsWinOverEarlierTypeErrors() {
    assertThatThrownBy(() -> PromQlParser.parse("rate(x) + )"))
        .hasMessageContaining("unexpected right parenthesis");
  }

  @Test
  void syntaxErrorsInsideAnAggregationSaySo() {
    assertThatThrownBy(() -> PromQlParser.parse("sum(rate(x[5m]) y)"))
        .hasMessage("1:17: parse error: unexpected identifier \"y\" in aggregation");
    assertThatThrownBy(() -> PromQlParser.parse("rate(x[5m] y)"))
        .hasMessage("1:12: parse error: unexpected identifier \"y\"");
  }

  @Test
  void modifierErrorsPointWherePrometheusPoints() {
    assertThatThrownBy(() -> PromQlParser.parse("some_metric OFFSET 1m[5m]"))
        .hasMessage("1:22: parse error: no offset modifiers allowed before range");
    assertThatThrownBy(() -> PromQlParser.parse("(foo + bar)[5m]"))
        .hasMessage("1:12: parse error: ranges only allowed for vector selectors");
    assertThatThrownBy(() -> PromQlParser.parse("topk(some_metric, other_metric)"))
        .hasMessage(
            "1:6: parse error: expected type scalar in aggregation parameter, got instant vector");
    assertThatThrownBy(() -> PromQlParser.parse("foo{__name__= =}"))
        .hasMessage("1:15: parse error: unexpected \"=\" in label matching, expected string");
  }
}
