package io.meridian.protocol.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code match[]} selectors: a lone vector selector selecting something. */
class SeriesSelectorParsingTest {

  @Test
  void nameAloneBecomesANameMatcher() {
    assertThat(PromQlParser.parseSelector("up"))
        .isEqualTo(
            new Expr.VectorSelector("up", List.of(LabelMatcher.equal("__name__", "up")), 0, null));
  }

  @Test
  void matchersAloneAreEnoughWhenOneIsNonEmpty() {
    assertThat(PromQlParser.parseSelector("{job=~\"a|b\", env!=\"\"}").matchers())
        .containsExactly(
            LabelMatcher.of(LabelMatcher.Type.REGEX, "job", "a|b"),
            LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "env", ""));
    assertThat(PromQlParser.parseSelector("up{job=\"x\"}").name()).isEqualTo("up");
    assertThat(PromQlParser.parseSelector("sum").name()).isEqualTo("sum");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                  | vector selector must contain at least one non-empty matcher",
        "{job=~\".*\"}       | vector selector must contain at least one non-empty matcher",
        "up[5m]              | unexpected \"[\"",
        "up offset 5m        | unexpected <offset>",
        "up @ 10             | unexpected <op:@>",
        "up + 1              | unexpected <op:+>",
        "rate(up[5m])        | unexpected \"(\"",
        "''                  | unexpected end of input",
        "up{                 | unexpected end of input inside braces",
        "1                   | unexpected number \"1\""
      })
  void anythingElseIsRejected(String selector, String message) {
    assertThatThrownBy(() -> PromQlParser.parseSelector(selector))
        .isInstanceOf(PromQlParseException.class)
        .hasMessageContaining(message);
  }
}
