package io.meridian.protocol.promql;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.promql.Token.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lexer splits input as Prometheus' {@code lex_test.go} expects. */
class TokenizingTest {

  private static List<Token> tokens(String input) {
    return Lexer.tokenize(input);
  }

  @Test
  void spacesInsideBracketsAreSkipped() {
    assertThat(tokens("[  5m ]"))
        .containsExactly(
            new Token(Kind.LEFT_BRACKET, "[", 0),
            new Token(Kind.DURATION, "5m", 3),
            new Token(Kind.RIGHT_BRACKET, "]", 6),
            new Token(Kind.EOF, "", 7));
  }

  @Test
  void infAndNanAreNumbersOnlyAsWholeWords() {
    assertThat(tokens("nAN iNf NaN123 Infoo"))
        .extracting(Token::kind)
        .containsExactly(Kind.NUMBER, Kind.NUMBER, Kind.IDENTIFIER, Kind.IDENTIFIER, Kind.EOF);
  }

  @Test
  void colonsMakeMetricIdentifiersOutsideBracketsAndSeparatorsInside() {
    assertThat(tokens("a:bc :bc abc"))
        .extracting(Token::kind)
        .containsExactly(Kind.METRIC_IDENTIFIER, Kind.METRIC_IDENTIFIER, Kind.IDENTIFIER, Kind.EOF);
    assertThat(tokens("test:name{on!~\"b:ar\"}[4m:]"))
        .extracting(Token::kind)
        .containsExactly(
            Kind.METRIC_IDENTIFIER,
            Kind.LEFT_BRACE,
            Kind.IDENTIFIER,
            Kind.NEQ_REGEX,
            Kind.STRING,
            Kind.RIGHT_BRACE,
            Kind.LEFT_BRACKET,
            Kind.DURATION,
            Kind.COLON,
            Kind.RIGHT_BRACKET,
            Kind.EOF);
  }

  @Test
  void keywordsAreIdentifiersInsideBraces() {
    assertThat(tokens("{on!~\"bar\", NaN != \"x\"}"))
        .extracting(Token::kind)
        .containsExactly(
            Kind.LEFT_BRACE,
            Kind.IDENTIFIER,
            Kind.NEQ_REGEX,
            Kind.STRING,
            Kind.COMMA,
            Kind.IDENTIFIER,
            Kind.NEQ,
            Kind.STRING,
            Kind.RIGHT_BRACE,
            Kind.EOF);
  }

  @Test
  void commentsAreDropped() {
    assertThat(tokens("5 # 1+1\n5"))
        .containsExactly(
            new Token(Kind.NUMBER, "5", 0),
            new Token(Kind.NUMBER, "5", 8),
            new Token(Kind.EOF, "", 9));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "台北",
        "{台北='a'}",
        "{0a='a'}",
        "{alert!#\"bar\"}",
        "{foo:a=\"bar\"}",
        "=~",
        "!~",
        "!(",
        "1a",
        "0a:bc",
        "(",
        "())",
        "(()",
        "{",
        "}",
        "{{",
        "{{}}",
        "[",
        "[[",
        "[]]",
        "[[]]",
        "]",
        "\"\uFFFD\"",
        "`\uFFFD`",
        ".٩",
        "test:name{on!~\"bar\"}[4m:4s:4h]",
        "test:name{on!~\"bar\"}[4m::]",
        "test:name{on!~\"bar\"}[:4s]"
      })
  void malformedInputEndsInAnError(String input) {
    List<Token> tokens = tokens(input);
    assertThat(tokens.get(tokens.size() - 1).kind()).isEqualTo(Kind.ERROR);
  }
}
