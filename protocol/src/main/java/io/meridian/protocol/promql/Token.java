package io.meridian.protocol.promql;

/**
 * One lexical item of a PromQL expression: its kind, its text as written and its 0-based position.
 * For {@link Kind#ERROR} the text is the lexer's error message.
 */
record Token(Kind kind, String text, int pos) {

  /** How {@link #describe()} names a kind in "unexpected …" messages, as Prometheus does. */
  enum Category {
    PLAIN,
    OPERATOR,
    AGGREGATOR,
    KEYWORD
  }

  /** Token kinds, mirroring Prometheus' item types. */
  enum Kind {
    EOF(Category.PLAIN),
    ERROR(Category.PLAIN),
    IDENTIFIER(Category.PLAIN),
    METRIC_IDENTIFIER(Category.PLAIN),
    NUMBER(Category.PLAIN),
    STRING(Category.PLAIN),
    DURATION(Category.PLAIN),
    LEFT_PAREN(Category.PLAIN),
    RIGHT_PAREN(Category.PLAIN),
    LEFT_BRACE(Category.PLAIN),
    RIGHT_BRACE(Category.PLAIN),
    LEFT_BRACKET(Category.PLAIN),
    RIGHT_BRACKET(Category.PLAIN),
    COMMA(Category.PLAIN),
    EQL(Category.PLAIN),
    COLON(Category.PLAIN),
    START(Category.PLAIN),
    END(Category.PLAIN),
    ADD(Category.OPERATOR),
    SUB(Category.OPERATOR),
    MUL(Category.OPERATOR),
    DIV(Category.OPERATOR),
    MOD(Category.OPERATOR),
    POW(Category.OPERATOR),
    EQLC(Category.OPERATOR),
    NEQ(Category.OPERATOR),
    LTE(Category.OPERATOR),
    LSS(Category.OPERATOR),
    GTE(Category.OPERATOR),
    GTR(Category.OPERATOR),
    EQL_REGEX(Category.OPERATOR),
    NEQ_REGEX(Category.OPERATOR),
    LAND(Category.OPERATOR),
    LOR(Category.OPERATOR),
    LUNLESS(Category.OPERATOR),
    ATAN2(Category.OPERATOR),
    AT(Category.OPERATOR),
    AGGREGATOR(Category.AGGREGATOR),
    BOOL(Category.KEYWORD),
    BY(Category.KEYWORD),
    WITHOUT(Category.KEYWORD),
    ON(Category.KEYWORD),
    IGNORING(Category.KEYWORD),
    GROUP_LEFT(Category.KEYWORD),
    GROUP_RIGHT(Category.KEYWORD),
    OFFSET(Category.KEYWORD);

    private final Category category;

    Kind(Category category) {
      this.category = category;
    }

    Category category() {
      return category;
    }
  }

  /**
   * The token as Prometheus names it after "unexpected": {@code end of input}, {@code identifier
   * "foo"}, {@code <op:*>}, {@code <aggr:sum>}, {@code <by>}, {@code "("}.
   */
  String describe() {
    return switch (kind) {
      case EOF -> "end of input";
      case IDENTIFIER -> "identifier " + GoQuote.quote(text);
      case METRIC_IDENTIFIER -> "metric identifier " + GoQuote.quote(text);
      case NUMBER -> "number " + shortQuoted();
      case STRING -> "string " + shortQuoted();
      case DURATION -> "duration " + shortQuoted();
      default ->
          switch (kind.category()) {
            case OPERATOR -> "<op:" + text + ">";
            case AGGREGATOR -> "<aggr:" + text + ">";
            case KEYWORD -> "<" + text + ">";
            case PLAIN -> GoQuote.quote(text);
          };
    };
  }

  /** Go's {@code %.10q...} for long literals, {@code %q} for short ones. */
  private String shortQuoted() {
    if (text.codePointCount(0, text.length()) > 10) {
      return GoQuote.quote(text.substring(0, text.offsetByCodePoints(0, 10))) + "...";
    }
    return GoQuote.quote(text);
  }
}
