package io.meridian.protocol.opentsdb.expression;

import io.meridian.protocol.opentsdb.BadQueryException;

/**
 * Parses the {@code expr} of an {@code /api/query/exp} expression, e.g. {@code (a - b) / b * 100},
 * by recursive descent with the usual precedence: unary minus over {@code * / %} over {@code + -},
 * all left-associative, and parentheses. Variables are ids (letters, digits and underscores, not
 * starting with a digit); literals are decimal numbers with an optional exponent. OpenTSDB hands
 * the text to JEXL, which accepts far more (functions, comparisons); only arithmetic is supported
 * here, and anything else is a {@link BadQueryException} naming the position.
 */
public final class ExpressionParser {

  /** Parentheses and signs nested deeper than this are refused: each level is a recursion. */
  static final int MAX_NESTING = 256;

  private final String text;
  private int pos;
  private int nesting;

  private ExpressionParser(String text) {
    this.text = text;
  }

  /**
   * Parses {@code text}.
   *
   * @throws BadQueryException if the text is empty or not a valid arithmetic expression
   */
  public static Expr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new BadQueryException("missing or empty expr");
    }
    ExpressionParser parser = new ExpressionParser(text);
    Expr expr = parser.sum();
    parser.skipBlanks();
    if (parser.pos < text.length()) {
      throw parser.error("unexpected '" + text.charAt(parser.pos) + "'");
    }
    return expr;
  }

  private Expr sum() {
    Expr left = product();
    while (true) {
      char op = peek();
      if (op != '+' && op != '-') {
        return left;
      }
      pos++;
      left = new Expr.Binary(op, left, product());
    }
  }

  private Expr product() {
    Expr left = unary();
    while (true) {
      char op = peek();
      if (op != '*' && op != '/' && op != '%') {
        return left;
      }
      pos++;
      left = new Expr.Binary(op, left, unary());
    }
  }

  private Expr unary() {
    if (++nesting > MAX_NESTING) {
      throw error("expression is nested more than " + MAX_NESTING + " levels deep");
    }
    try {
      char c = peek();
      if (c == '-') {
        pos++;
        return new Expr.Negate(unary());
      }
      if (c == '+') {
        pos++;
        return unary();
      }
      return primary();
    } finally {
      nesting--;
    }
  }

  private Expr primary() {
    char c = peek();
    if (c == '(') {
      pos++;
      Expr inner = sum();
      if (peek() != ')') {
        throw error("missing ')'");
      }
      pos++;
      return inner;
    }
    if (Character.isDigit(c) || c == '.') {
      return number();
    }
    if (Character.isLetter(c) || c == '_') {
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      return new Expr.Variable(text.substring(start, pos));
    }
    throw error(c == 0 ? "unexpected end of expression" : "unexpected '" + c + "'");
  }

  private Expr number() {
    int start = pos;
    while (pos < text.length()
        && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
      pos++;
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      int mark = pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
      } else {
        pos = mark;
      }
    }
    String literal = text.substring(start, pos);
    try {
      return new Expr.Literal(Double.parseDouble(literal));
    } catch (NumberFormatException e) {
      pos = start;
      throw error("invalid number '" + literal + "'");
    }
  }

  /** The next non-blank character without consuming it, or 0 at the end. */
  private char peek() {
    skipBlanks();
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  private void skipBlanks() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private BadQueryException error(String what) {
    return new BadQueryException(
        "Invalid expression '" + text + "': " + what + " at position " + pos);
  }
}
