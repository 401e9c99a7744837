package io.meridian.protocol.promql;

import io.meridian.protocol.promql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a PromQL expression into {@link Token}s the way Prometheus' {@code promql/parser/lex.go}
 * does: keywords are case-insensitive outside braces and plain identifiers inside them, a {@code [}
 * must be followed by a duration, and comments run from {@code #} to the end of the line. The list
 * ends with an {@link Kind#EOF} token, or with an {@link Kind#ERROR} token carrying the first
 * lexical error; the parser reports that error only when it reaches it, as Prometheus does.
 */
final class Lexer {

  private static final Map<String, Kind> KEYWORDS =
      Map.ofEntries(
          Map.entry("and", Kind.LAND),
          Map.entry("or", Kind.LOR),
          Map.entry("unless", Kind.LUNLESS),
          Map.entry("atan2", Kind.ATAN2),
          Map.entry("sum", Kind.AGGREGATOR),
          Map.entry("avg", Kind.AGGREGATOR),
          Map.entry("count", Kind.AGGREGATOR),
          Map.entry("min", Kind.AGGREGATOR),
          Map.entry("max", Kind.AGGREGATOR),
          Map.entry("group", Kind.AGGREGATOR),
          Map.entry("stddev", Kind.AGGREGATOR),
          Map.entry("stdvar", Kind.AGGREGATOR),
          Map.entry("topk", Kind.AGGREGATOR),
          Map.entry("bottomk", Kind.AGGREGATOR),
          Map.entry("count_values", Kind.AGGREGATOR),
          Map.entry("quantile", Kind.AGGREGATOR),
          Map.entry("offset", Kind.OFFSET),
          Map.entry("by", Kind.BY),
          Map.entry("without", Kind.WITHOUT),
          Map.entry("on", Kind.ON),
          Map.entry("ignoring", Kind.IGNORING),
          Map.entry("group_left", Kind.GROUP_LEFT),
          Map.entry("group_right", Kind.GROUP_RIGHT),
          Map.entry("bool", Kind.BOOL),
          Map.entry("start", Kind.START),
          Map.entry("end", Kind.END),
          Map.entry("inf", Kind.NUMBER),
          Map.entry("nan", Kind.NUMBER));

  private static final int EOF = -1;

  /**
   * What undecodable bytes became when the query was decoded; Go's decoder reports the same rune
   * for them, and Prometheus refuses it inside strings.
   */
  private static final int REPLACEMENT_CHARACTER = 0xFFFD;

  private final String input;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int start;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private String error;

  private Lexer(String input) {
    this.input = input;
  }

  /** All tokens of {@code input}, ending with EOF or with the first error. */
  static List<Token> tokenize(String input) {
    Lexer lexer = new Lexer(input);
    lexer.run();
    return List.copyOf(lexer.tokens);
  }

  private void run() {
    boolean more = true;
    while (more) {
      more = braceOpen ? insideBraces() : statement();
    }
    if (error != null) {
      tokens.add(new Token(Kind.ERROR, error, start));
    }
  }

  /** Lexes one item outside braces; false once EOF is emitted. */
  private boolean statement() {
    if (input.startsWith("#", pos)) {
      skipComment();
      return true;
    }
    int r = next();
    switch (r) {
      case EOF -> {
        if (parenDepth != 0) {
          return fail("unclosed left parenthesis");
        }
        if (bracketOpen) {
          return fail("unclosed left bracket");
        }
        emit(Kind.EOF);
        return false;
      }
      case ',' -> emit(Kind.COMMA);
      case '*' -> emit(Kind.MUL);
      case '/' -> emit(Kind.DIV);
      case '%' -> emit(Kind.MOD);
      case '+' -> emit(Kind.ADD);
      case '-' -> emit(Kind.SUB);
      case '^' -> emit(Kind.POW);
      case '@' -> emit(Kind.AT);
      case '=' -> {
        int t = peek();
        if (t == '=') {
          next();
          emit(Kind.EQLC);
        } else if (t == '~') {
          return fail("unexpected character after '=': " + GoQuote.quoteRune(t));
        } else {
          emit(Kind.EQL);
        }
      }
      case '!' -> {
        int t = next();
        if (t != '=') {
          return fail("unexpected character after '!': " + quoteRuneOrEof(t));
        }
        emit(Kind.NEQ);
      }
      case '<' -> emit(accept("=") ? Kind.LTE : Kind.LSS);
      case '>' -> emit(accept("=") ? Kind.GTE : Kind.GTR);
      case '"', '\'' -> {
        return quotedString((char) r);
      }
      case '`' -> {
        return rawString();
      }
      case '(' -> {
        emit(Kind.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        parenDepth--;
        if (parenDepth < 0) {
          // Prometheus replaces the token with the error, positioned after the parenthesis.
          start = pos;
          return fail("unexpected right parenthesis ')'");
        }
        emit(Kind.RIGHT_PAREN);
      }
      case '{' -> {
        emit(Kind.LEFT_BRACE);
        braceOpen = true;
      }
      case '[' -> {
        if (bracketOpen) {
          return fail("unexpected left bracket '['");
        }
        gotColon = false;
        emit(Kind.LEFT_BRACKET);
        skipSpaces();
        bracketOpen = true;
        return duration();
      }
      case ']' -> {
        if (!bracketOpen) {
          return fail("unexpected right bracket ']'");
        }
        emit(Kind.RIGHT_BRACKET);
        bracketOpen = false;
      }
      default -> {
        if (isSpace(r)) {
          skipSpaces();
        } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup();
          return numberOrDuration();
        } else if (isAlpha(r) || r == ':') {
          if (!bracketOpen) {
            backup();
            keywordOrIdentifier();
          } else if (gotColon) {
            return fail("unexpected colon " + GoQuote.quoteRune(r));
          } else {
            emit(Kind.COLON);
            gotColon = true;
          }
        } else {
          return fail("unexpected character: " + GoQuote.quoteRune(r));
        }
      }
    }
    return true;
  }

  /** Lexes one item of a label matcher list; keywords are plain identifiers here. */
  private boolean insideBraces() {
    if (input.startsWith("#", pos)) {
      skipComment();
      return true;
    }
    int r = next();
    switch (r) {
      case EOF -> {
        return fail("unexpected end of input inside braces");
      }
      case ',' -> emit(Kind.COMMA);
      case '"', '\'' -> {
        return quotedString((char) r);
      }
      case '`' -> {
        return rawString();
      }
      case '=' -> emit(accept("~") ? Kind.EQL_REGEX : Kind.EQL);
      case '!' -> {
        int nr = next();
        if (nr == '~') {
          emit(Kind.NEQ_REGEX);
        } else if (nr == '=') {
          emit(Kind.NEQ);
        } else {
          return fail("unexpected character after '!' inside braces: " + quoteRuneOrEof(nr));
        }
      }
      case '{' -> {
        return fail("unexpected left brace '{'");
      }
      case '}' -> {
        emit(Kind.RIGHT_BRACE);
        braceOpen = false;
      }
      default -> {
        if (isSpace(r)) {
          skipSpaces();
        } else if (isAlpha(r)) {
          while (isAlphaNumeric(peek())) {
            next();
          }
          emit(Kind.IDENTIFIER);
        } else {
          return fail("unexpected character inside braces: " + GoQuote.quoteRune(r));
        }
      }
    }
    return true;
  }

  private void keywordOrIdentifier() {
    while (isAlphaNumeric(peek()) || peek() == ':') {
      next();
    }
    String word = input.substring(start, pos);
    Kind keyword = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
    if (keyword != null) {
      emit(keyword);
    } else {
      emit(word.indexOf(':') < 0 ? Kind.IDENTIFIER : Kind.METRIC_IDENTIFIER);
    }
  }

  private boolean numberOrDuration() {
    if (scanNumber()) {
      emit(Kind.NUMBER);
      return true;
    }
    if (acceptRemainingDuration()) {
      backup();
      emit(Kind.DURATION);
      return true;
    }
    return fail("bad number or duration syntax: " + GoQuote.quote(scanned()));
  }

  /** What follows {@code [}: a duration, nothing else. */
  private boolean duration() {
    if (scanNumber()) {
      return fail("missing unit character in duration");
    }
    if (!acceptRemainingDuration()) {
      return fail("bad duration syntax: " + GoQuote.quote(scanned()));
    }
    backup();
    emit(Kind.DURATION);
    return true;
  }

  /** Scans a number; false when a letter follows, so the text may be a duration instead. */
  private boolean scanNumber() {
    String digits = "0123456789";
    if (accept("0") && accept("xX")) {
      digits = "0123456789abcdefABCDEF";
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (accept("eE")) {
      accept("+-");
      acceptRun("0123456789");
    }
    return !isAlphaNumeric(peek());
  }

  /**
   * Accepts unit letters and further number-unit pairs; units out of order are left for {@link
   * Durations} to reject, as Prometheus leaves them to {@code model.ParseDuration}.
   */
  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept("0123456789")) {
      acceptRun("0123456789");
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    return !isAlphaNumeric(next());
  }

  private boolean quotedString(char quote) {
    while (true) {
      int r = next();
      if (r == '\\') {
        String escapeError = escape(quote);
        if (escapeError != null) {
          return fail(escapeError);
        }
      } else if (r == REPLACEMENT_CHARACTER) {
        return fail("invalid UTF-8 rune");
      } else if (r == EOF || r == '\n') {
        return fail("unterminated quoted string");
      } else if (r == quote) {
        emit(Kind.STRING);
        return true;
      }
    }
  }

  private boolean rawString() {
    while (true) {
      int r = next();
      if (r == REPLACEMENT_CHARACTER) {
        return fail("invalid UTF-8 rune");
      }
      if (r == EOF) {
        return fail("unterminated raw string");
      }
      if (r == '`') {
        emit(Kind.STRING);
        return true;
      }
    }
  }

  /** Checks one escape sequence after its backslash; returns the error, or null when valid. */
  private String escape(char quote) {
    int ch = next();
    int n;
    int base;
    int max;
    switch (ch) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
        return null;
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        n = 3;
        base = 8;
        max = 255;
      }
      case 'x' -> {
        ch = next();
        n = 2;
        base = 16;
        max = 255;
      }
      case 'u' -> {
        ch = next();
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case 'U' -> {
        ch = next();
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case EOF -> {
        return "escape sequence not terminated";
      }
      default -> {
        if (ch == quote) {
          return null;
        }
        return "unknown escape sequence " + GoQuote.unicode(ch);
      }
    }
    long x = 0;
    while (n > 0) {
      int d = Character.digit(ch, 16);
      if (ch > 0x7f || d < 0 || d >= base) {
        if (ch == EOF) {
          return "escape sequence not terminated";
        }
        return "illegal character " + GoQuote.unicode(ch) + " in escape sequence";
      }
      x = x * base + d;
      n--;
      if (n > 0) {
        ch = next();
      }
    }
    if (x > max || (0xD800 <= x && x < 0xE000)) {
      return "escape sequence is an invalid Unicode code point";
    }
    return null;
  }

  private String scanned() {
    return input.substring(start, Math.min(pos, input.length()));
  }

  private void skipComment() {
    while (pos < input.length() && input.charAt(pos) != '\n') {
      pos++;
    }
    start = pos;
  }

  private void skipSpaces() {
    while (isSpace(peek())) {
      next();
    }
    start = pos;
  }

  private boolean fail(String message) {
    error = message;
    return false;
  }

  private void emit(Kind kind) {
    tokens.add(new Token(kind, scanned(), start));
    start = pos;
  }

  private int next() {
    if (pos >= input.length()) {
      pos = input.length() + 1;
      return EOF;
    }
    int cp = input.codePointAt(pos);
    pos += Character.charCount(cp);
    return cp;
  }

  private int peek() {
    return pos >= input.length() ? EOF : input.codePointAt(pos);
  }

  /** Steps back over the code point {@link #next()} returned last. */
  private void backup() {
    if (pos > input.length()) {
      pos = input.length();
    } else {
      pos = input.offsetByCodePoints(pos, -1);
    }
  }

  private boolean accept(String valid) {
    int r = peek();
    if (r != EOF && valid.indexOf(r) >= 0) {
      next();
      return true;
    }
    return false;
  }

  private void acceptRun(String valid) {
    while (accept(valid)) {
      // consumed by accept
    }
  }

  private static String quoteRuneOrEof(int r) {
    return r == EOF ? "'\\uffff'" : GoQuote.quoteRune(r);
  }

  private static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\n' || r == '\r';
  }

  private static boolean isDigit(int r) {
    return r >= '0' && r <= '9';
  }

  private static boolean isAlpha(int r) {
    return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  }

  private static boolean isAlphaNumeric(int r) {
    return isAlpha(r) || isDigit(r);
  }
}
