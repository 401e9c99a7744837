package io.meridian.protocol.promql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Expressions Prometheus 2.42 rejects, each with the key phrase of its error message. */
class InvalidExpressionsAreRejectedTest {

  static Stream<Arguments> lexicalErrors() {
    return Stream.of(
        arguments(".", "unexpected character: '.'"),
        arguments("2.5.", "unexpected character: '.'"),
        arguments("100..4", "unexpected number \".4\""),
        arguments("0deadbeef", "bad number or duration syntax: \"0de\""),
        arguments("(1))", "unexpected right parenthesis ')'"),
        arguments("((1)", "unclosed left parenthesis"),
        arguments("(", "unclosed left parenthesis"),
        arguments("1 !~ 1", "unexpected character after '!': '~'"),
        arguments("1 =~ 1", "unexpected character after '=': '~'"),
        arguments("foo & bar", "unexpected character: '&'"),
        arguments("{", "unexpected end of input inside braces"),
        arguments("}", "unexpected character: '}'"),
        arguments("some{", "unexpected end of input inside braces"),
        arguments("some}", "unexpected character: '}'"),
        arguments("some_metric{a:b=\"b\"}", "unexpected character inside braces: ':'"),
        arguments("foo{a*\"b\"}", "unexpected character inside braces: '*'"),
        arguments("foo{a>=\"b\"}", "unexpected character inside braces: '>'"),
        arguments("foo{1}", "unexpected character inside braces: '1'"),
        arguments("foo{a!\"b\"}", "unexpected character after '!' inside braces: '\"'"),
        arguments("foo{{a=\"b\"}", "unexpected left brace '{'"),
        arguments("foo]", "unexpected right bracket ']'"),
        arguments("foo[5m", "unclosed left bracket"),
        arguments("foo[5m:1m:1m]", "unexpected colon ':'"),
        arguments("\"\\q\"", "unknown escape sequence U+0071 'q'"),
        arguments("'\\\"'", "unknown escape sequence U+0022 '\"'"),
        arguments("\"\\'\"", "unknown escape sequence U+0027 '''"),
        arguments("\"unterminated", "unterminated quoted string"),
        arguments("\"new\nline\"", "unterminated quoted string"),
        arguments("`raw", "unterminated raw string"),
        arguments("\"\\x4\"", "illegal character U+0022 '\"' in escape sequence"),
        arguments("\"\\uD800\"", "escape sequence is an invalid Unicode code point"),
        arguments("\"\\400\"", "escape sequence is an invalid Unicode code point"),
        arguments("\"\\", "escape sequence not terminated"),
        arguments("\"\\c\"", "unknown escape sequence U+0063 'c'"),
        arguments("\"\\x.\"", "illegal character U+002E '.' in escape sequence"),
        arguments("`\\``", "unterminated raw string"),
        arguments("label_replace(a, `b`, `c\uFFFD`, `d`, `.*`)", "invalid UTF-8 rune"),
        arguments("foo{a=\"\uFFFD\"}", "invalid UTF-8 rune"));
  }

  static Stream<Arguments> durationErrors() {
    return Stream.of(
        arguments("foo[5mm]", "bad duration syntax: \"5mm\""),
        arguments("foo[5m1]", "bad duration syntax: \"5m1\""),
        arguments("foo[1y1y]", "bad duration syntax: \"1y1\""),
        arguments("foo[0m]", "duration must be greater than 0"),
        arguments("foo[]", "missing unit character in duration"),
        arguments("foo[1]", "missing unit character in duration"),
        arguments("foo[\"5m\"]", "missing unit character in duration"),
        arguments("foo[30m1h]", "not a valid duration string: \"30m1h\""),
        arguments("foo offset 1m1m", "not a valid duration string: \"1m1m\""),
        arguments("foo offset 1s1ms1h", "not a valid duration string: \"1s1ms1h\""),
        arguments("foo offset 0s", "duration must be greater than 0"),
        arguments("foo offset 1h30", "bad number or duration syntax: \"1h30\""),
        arguments("foo[300y]", "duration out of range"),
        arguments("foo[5m:0s]", "duration must be greater than 0"),
        arguments("foo[5m:1m1]", "bad number or duration syntax: \"1m1\""),
        arguments("foo[5y1hs]", "not a valid duration string: \"5y1hs\""),
        arguments("foo[5m1h]", "not a valid duration string: \"5m1h\""),
        arguments("some_metric[5m] OFFSET 1mm", "bad number or duration syntax: \"1mm\""),
        arguments("some_metric[5m] @ 1m", "unexpected duration \"1m\" in @, expected timestamp"));
  }

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        arguments("", "no expression found in input"),
        arguments("# just a comment\n\n", "no expression found in input"),
        arguments("1+", "unexpected end of input"),
        arguments("1 /", "unexpected end of input"),
        arguments("*1", "unexpected <op:*>"),
        arguments("*test", "unexpected <op:*>"),
        arguments("-=", "unexpected \"=\""),
        arguments("++-++-+-+-<", "unexpected <op:<>"),
        arguments("e-+=/(0)", "unexpected \"=\""),
        arguments("1 2", "unexpected number \"2\""),
        arguments("foo bar", "unexpected identifier \"bar\""),
        arguments("on", "unexpected <on>"),
        arguments("bool", "unexpected <bool>"),
        arguments("a - on(b) ignoring(c) d", "unexpected <ignoring>"),
        arguments("foo + group_left(baz) bar", "unexpected <group_left>"),
        arguments("foo + on bar", "unexpected identifier \"bar\" in grouping opts, expected \"(\""),
        arguments("5m", "unexpected duration \"5m\""),
        arguments("rate(x) +", "unexpected end of input"),
        arguments(
            "some_metric{a=b}", "unexpected identifier \"b\" in label matching, expected string"),
        arguments(
            "foo{gibberish}",
            "unexpected \"}\" in label matching, expected label matching operator"),
        arguments("foo{,}", "unexpected \",\" in label matching, expected identifier or \"}\""),
        arguments(
            "foo{__name__ == \"bar\"}", "unexpected \"=\" in label matching, expected string"),
        arguments(
            "foo{__name__=\"bar\" lol}",
            "unexpected identifier \"lol\" in label matching, expected \",\" or \"}\""),
        arguments(
            "some_metric[5m] OFFSET 1", "unexpected number \"1\" in offset, expected duration"),
        arguments("some_metric[5m] OFFSET", "unexpected end of input in offset, expected duration"),
        arguments("some_metric offset - foo", "unexpected identifier \"foo\" in offset"),
        arguments("foo @ bar", "unexpected identifier \"bar\" in @, expected timestamp"),
        arguments("foo @ start", "unexpected end of input in @, expected timestamp"),
        arguments("foo @", "unexpected end of input in @, expected timestamp"),
        arguments(
            "foo[5m:1]",
            "unexpected number \"1\" in subquery selector, expected duration or \"]\""),
        arguments(
            "foo[5m 1m]",
            "unexpected duration \"1m\" in subquery or range, expected \":\" or \"]\""),
        arguments(
            "sum without(==)(some_metric)", "unexpected <op:==> in grouping opts, expected label"),
        arguments(
            "sum without(,)(some_metric)", "unexpected \",\" in grouping opts, expected label"),
        arguments("sum without(foo,,)(some_metric)", "unexpected \",\" in grouping opts"),
        arguments(
            "sum by (foo:bar) (x)", "unexpected metric identifier \"foo:bar\" in grouping opts"),
        arguments("sum by (a b) (x)", "expected \",\" or \")\""),
        arguments("sum some_metric by (test)", "unexpected identifier \"some_metric\""),
        arguments(
            "sum (some_metric) by test",
            "unexpected identifier \"test\" in grouping opts, expected \"(\""),
        arguments("sum by (test) foo", "unexpected identifier \"foo\" in aggregation"),
        arguments("MIN keep_common (some_metric)", "unexpected identifier \"keep_common\""),
        arguments("MIN (some_metric) keep_common", "unexpected identifier \"keep_common\""),
        arguments("sum (some_metric) without (test) by (test)", "unexpected <by>"),
        arguments("sum without (test) (some_metric) by (test)", "unexpected <by>"),
        arguments("sum () by (test)", "no arguments for aggregate expression provided"),
        arguments(
            "topk(some_metric)",
            "wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        arguments(
            "sum(a, b)",
            "wrong number of arguments for aggregate expression provided, expected 1, got 2"),
        arguments("topk(some_metric,)", "trailing commas not allowed in function call args"),
        arguments("rate(foo[5m],)", "trailing commas not allowed in function call args"),
        arguments(
            "non_existent_function_far_bar()",
            "unknown function with name \"non_existent_function_far_bar\""),
        arguments("a>b()", "unknown function with name \"b\""),
        arguments("RATE(foo[5m])", "unknown function with name \"RATE\""),
        arguments("rate(foo[5m] bar)", "unexpected identifier \"bar\""),
        arguments("999" + "9".repeat(306), "value out of range"),
        arguments("0x" + "f".repeat(17), "error parsing number"));
  }

  static Stream<Arguments> modifierErrors() {
    return Stream.of(
        arguments(
            "1 offset 1d",
            "offset modifier must be preceded by an instant vector selector or range vector"
                + " selector or a subquery"),
        arguments("sum(foo) offset 1m", "offset modifier must be preceded by"),
        arguments("foo offset 1s offset 2s", "offset may not be set multiple times"),
        arguments("foo[5m:] offset 1s offset 2s", "offset may not be set multiple times"),
        arguments("some_metric OFFSET 1m[5m]", "no offset modifiers allowed before range"),
        arguments("some_metric @ 123 [5m]", "no @ modifiers allowed before range"),
        arguments("(foo + bar)[5m]", "ranges only allowed for vector selectors"),
        arguments("(foo)[5m]", "ranges only allowed for vector selectors"),
        arguments("foo[5m:1m][1m]", "ranges only allowed for vector selectors"),
        arguments(
            "rate(some_metric[5m]) @ 1234",
            "@ modifier must be preceded by an instant vector selector or range vector selector or"
                + " a subquery"),
        arguments("foo @ 1 @ 2", "@ <timestamp> may not be set multiple times"),
        arguments("foo @ start() @ end()", "@ <timestamp> may not be set multiple times"),
        arguments("foo[5m] @ 1 @ 2", "@ <timestamp> may not be set multiple times"),
        arguments("foo @ +Inf", "timestamp out of bounds for @ modifier: +Inf"),
        arguments("foo @ -Inf", "timestamp out of bounds for @ modifier: -Inf"),
        arguments("foo @ NaN", "timestamp out of bounds for @ modifier: NaN"),
        arguments(
            "foo @ 1e20", "timestamp out of bounds for @ modifier: 100000000000000000000.000000"));
  }

  static Stream<Arguments> typeErrors() {
    return Stream.of(
        arguments("1 and 1", "set operator \"and\" not allowed in binary scalar expression"),
        arguments("1 or 1", "set operator \"or\" not allowed in binary scalar expression"),
        arguments("1 unless 1", "set operator \"unless\" not allowed in binary scalar expression"),
        arguments("foo and 1", "set operator \"and\" not allowed in binary scalar expression"),
        arguments("1 and foo", "set operator \"and\" not allowed in binary scalar expression"),
        arguments("foo or 1", "set operator \"or\" not allowed in binary scalar expression"),
        arguments(
            "1 unless foo", "set operator \"unless\" not allowed in binary scalar expression"),
        arguments("1 == 1", "comparisons between scalars must use BOOL modifier"),
        arguments("1 < 2", "comparisons between scalars must use BOOL modifier"),
        arguments("1 or on(bar) foo", "vector matching only allowed between instant vectors"),
        arguments("foo == on(bar) 10", "vector matching only allowed between instant vectors"),
        arguments(
            "foo and on(bar) group_left(baz) bar", "no grouping allowed for \"and\" operation"),
        arguments(
            "foo and on(bar) group_right(baz) bar", "no grouping allowed for \"and\" operation"),
        arguments("foo or on(bar) group_left(baz) bar", "no grouping allowed for \"or\" operation"),
        arguments(
            "foo unless on(bar) group_left(baz) bar",
            "no grouping allowed for \"unless\" operation"),
        arguments(
            "http_requests{group=\"production\"} - on(instance) group_left(job,instance)"
                + " cpu_count{type=\"smp\"}",
            "label \"instance\" must not occur in ON and GROUP clause at once"),
        arguments("foo + bool bar", "bool modifier can only be used on comparison operators"),
        arguments("foo + bool 10", "bool modifier can only be used on comparison operators"),
        arguments("foo and bool 10", "bool modifier can only be used on comparison operators"),
        arguments(
            "foo[5m] + 1", "binary expression must contain only scalar and instant vector types"),
        arguments(
            "1 - foo[5m:]", "binary expression must contain only scalar and instant vector types"),
        arguments(
            "\"a\" + 1", "binary expression must contain only scalar and instant vector types"),
        arguments(
            "-\"string\"",
            "unary expression only allowed on expressions of type scalar or instant vector, got"
                + " \"string\""),
        arguments(
            "-test[5m]",
            "unary expression only allowed on expressions of type scalar or instant vector, got"
                + " \"range vector\""),
        arguments("-foo[5m:]", "got \"range vector\""),
        arguments("{}", "vector selector must contain at least one non-empty matcher"),
        arguments("{x=\"\"}", "vector selector must contain at least one non-empty matcher"),
        arguments("{x=~\".*\"}", "vector selector must contain at least one non-empty matcher"),
        arguments("{x!~\".+\"}", "vector selector must contain at least one non-empty matcher"),
        arguments("{x!=\"a\"}", "vector selector must contain at least one non-empty matcher"),
        arguments(
            "rate({x=\"\"}[5m])", "vector selector must contain at least one non-empty matcher"),
        arguments("foo{__name__=\"bar\"}", "metric name must not be set twice: \"foo\" or \"bar\""),
        arguments("foo{a=~\"(\"}", "invalid regular expression"),
        arguments("1[5m:]", "subquery is only allowed on instant vector, got scalar instead"),
        arguments(
            "foo[5m][10m:]", "subquery is only allowed on instant vector, got matrix instead"),
        arguments("\"x\"[5m:]", "subquery is only allowed on instant vector, got string instead"),
        arguments(
            "sum(foo[5m])",
            "expected type instant vector in aggregation expression, got range vector"),
        arguments(
            "topk(some_metric, other_metric)",
            "expected type scalar in aggregation parameter, got instant vector"),
        arguments(
            "count_values(5, other_metric)",
            "expected type string in aggregation parameter, got scalar"),
        arguments(
            "quantile(\"a\", foo)", "expected type scalar in aggregation parameter, got string"),
        arguments("time(some_metric)", "expected 0 argument(s) in call to \"time\", got 1"),
        arguments("floor()", "expected 1 argument(s) in call to \"floor\", got 0"),
        arguments(
            "floor(some_metric, other_metric)",
            "expected 1 argument(s) in call to \"floor\", got 2"),
        arguments(
            "floor(1)", "expected type instant vector in call to function \"floor\", got scalar"),
        arguments(
            "hour(some_metric, some_metric, some_metric)",
            "expected at most 1 argument(s) in call to \"hour\", got 3"),
        arguments("round(a, 1, 2)", "expected at most 2 argument(s) in call to \"round\", got 3"),
        arguments("round()", "expected at least 1 argument(s) in call to \"round\", got 0"),
        arguments(
            "label_join(some_metric, \"dst\")",
            "expected at least 3 argument(s) in call to \"label_join\", got 2"),
        arguments(
            "label_join(x, \"a\", \",\", \"b\", 1)",
            "expected type string in call to function \"label_join\", got scalar"),
        arguments(
            "rate(some_metric)",
            "expected type range vector in call to function \"rate\", got instant vector"),
        arguments(
            "rate(x)",
            "expected type range vector in call to function \"rate\", got instant vector"),
        arguments(
            "avg_over_time(rate(x[5m]))",
            "expected type range vector in call to function \"avg_over_time\", got instant vector"),
        arguments(
            "histogram_quantile(foo, bar)",
            "expected type scalar in call to function \"histogram_quantile\", got instant vector"),
        arguments(
            "abs(foo[5m])",
            "expected type instant vector in call to function \"abs\", got range vector"),
        arguments(
            "vector(\"a\")", "expected type scalar in call to function \"vector\", got string"),
        arguments(
            "label_replace(x, 1, \"a\", \"b\", \"c\")",
            "expected type string in call to function \"label_replace\", got scalar"));
  }

  @ParameterizedTest
  @MethodSource({"lexicalErrors", "durationErrors", "syntaxErrors", "modifierErrors", "typeErrors"})
  void isRejectedWithPrometheusMessage(String expression, String keyPhrase) {
    assertThatThrownBy(() -> PromQlParser.parse(expression))
        .isInstanceOf(PromQlParseException.class)
        .hasMessageContaining("parse error: ")
        .hasMessageContaining(keyPhrase);
  }
}
