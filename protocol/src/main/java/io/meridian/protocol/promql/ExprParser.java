package io.meridian.protocol.promql;

import io.meridian.protocol.promql.Token.Kind;
import io.meridian.protocol.promql.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for Prometheus' PromQL grammar ({@code generated_parser.y}): binary
 * operators by precedence climbing, unary {@code +}/{@code -} binding like {@code *}, and ranges,
 * subqueries, {@code offset} and {@code @} as postfix modifiers binding tighter than any operator.
 * It reports syntax errors only; {@link TypeChecker} checks types once the whole expression parsed,
 * so a syntax error anywhere wins over a type error, as in Prometheus.
 */
final class ExprParser {

  /** Tokens that name a metric when they start a selector (Prometheus' metric_identifier). */
  private static final Set<Kind> METRIC_NAMES =
      EnumSet.of(
          Kind.IDENTIFIER,
          Kind.METRIC_IDENTIFIER,
          Kind.AGGREGATOR,
          Kind.BY,
          Kind.WITHOUT,
          Kind.OFFSET,
          Kind.LAND,
          Kind.LOR,
          Kind.LUNLESS,
          Kind.START,
          Kind.END);

  /** Tokens that may be label names in grouping clauses (Prometheus' maybe_label). */
  private static final Set<Kind> GROUPING_LABELS =
      EnumSet.of(
          Kind.IDENTIFIER,
          Kind.METRIC_IDENTIFIER,
          Kind.AGGREGATOR,
          Kind.BOOL,
          Kind.BY,
          Kind.GROUP_LEFT,
          Kind.GROUP_RIGHT,
          Kind.IGNORING,
          Kind.LAND,
          Kind.LOR,
          Kind.LUNLESS,
          Kind.OFFSET,
          Kind.ON,
          Kind.START,
          Kind.END,
          Kind.ATAN2);

  private static final String METRIC_NAME_LABEL = "__name__";

  private final String input;
  private final List<Token> tokens;
  private final SourceMap source = new SourceMap();
  private int index;

  /**
   * How many aggregation bodies enclose the current position. Prometheus' grammar recovers from a
   * syntax error at the innermost aggregation, so such errors say "in aggregation".
   */
  private int aggregationDepth;

  ExprParser(String input) {
    this.input = input;
    this.tokens = Lexer.tokenize(input);
  }

  SourceMap source() {
    return source;
  }

  /** A whole expression up to the end of input. */
  Expr parseExpression() {
    if (tokens.get(0).kind() == Kind.EOF) {
      throw error(0, "no expression found in input");
    }
    Expr expr = parseBinary(0);
    expectEnd();
    return expr;
  }

  /** A lone vector selector up to the end of input. */
  Expr.VectorSelector parseSelectorOnly() {
    Token t = peek();
    Expr.VectorSelector selector;
    if (t.kind() == Kind.LEFT_BRACE) {
      selector = selector(null, t.pos());
    } else if (METRIC_NAMES.contains(t.kind())) {
      next();
      selector = selector(t.text(), t.pos());
    } else {
      throw unexpected(t, null, null);
    }
    expectEnd();
    return selector;
  }

  private void expectEnd() {
    Token t = peek();
    if (t.kind() != Kind.EOF) {
      throw unexpected(t, null, null);
    }
  }

  private Expr parseBinary(int minPrecedence) {
    Expr lhs = parseUnary();
    while (true) {
      Token opToken = peek();
      BinaryOp op = binaryOp(opToken.kind());
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      next();
      boolean returnBool = accept(Kind.BOOL);
      VectorMatching written = parseMatching();
      int nextMin = op.isRightAssociative() ? op.precedence() : op.precedence() + 1;
      Expr rhs = parseBinary(nextMin);
      lhs = binary(op, lhs, rhs, returnBool, written, opToken.pos());
    }
  }

  private Expr.Binary binary(
      BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching written, int opPos) {
    VectorMatching matching = null;
    if (source.type(lhs) == ValueType.VECTOR && source.type(rhs) == ValueType.VECTOR) {
      matching =
          op.isSetOperator() && written.cardinality() == Cardinality.ONE_TO_ONE
              ? new VectorMatching(
                  Cardinality.MANY_TO_MANY, written.labels(), written.on(), written.include())
              : written;
    }
    return source.binary(
        new Expr.Binary(op, lhs, rhs, returnBool, matching), source.start(lhs), opPos, written);
  }

  /** {@code on|ignoring(labels) [group_left|group_right[(labels)]]}, one-to-one when absent. */
  private VectorMatching parseMatching() {
    Kind kind = peek().kind();
    if (kind != Kind.ON && kind != Kind.IGNORING) {
      return VectorMatching.oneToOne();
    }
    next();
    List<String> labels = parseGroupingLabels();
    Cardinality cardinality = Cardinality.ONE_TO_ONE;
    List<String> include = List.of();
    Kind group = peek().kind();
    if (group == Kind.GROUP_LEFT || group == Kind.GROUP_RIGHT) {
      next();
      cardinality = group == Kind.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
      if (peek().kind() == Kind.LEFT_PAREN) {
        include = parseGroupingLabels();
      }
    }
    return new VectorMatching(cardinality, labels, kind == Kind.ON, include);
  }

  /**
   * A unary operator binds like {@code *}: its operand takes only {@code ^} (so {@code -2^2} is
   * {@code -(2^2)}), and on a number literal it becomes part of the number, as in Prometheus.
   */
  private Expr parseUnary() {
    Token t = peek();
    if (t.kind() != Kind.ADD && t.kind() != Kind.SUB) {
      return parsePostfix(parsePrimary());
    }
    next();
    Expr operand = parseBinary(BinaryOp.POW.precedence());
    boolean negative = t.kind() == Kind.SUB;
    if (operand instanceof Expr.NumberLiteral n) {
      return source.at(new Expr.NumberLiteral(negative ? -n.value() : n.value()), t.pos());
    }
    return source.at(new Expr.Unary(negative, operand), t.pos());
  }

  private Expr parsePostfix(Expr expr) {
    Expr result = expr;
    while (true) {
      switch (peek().kind()) {
        case LEFT_BRACKET -> result = parseRangeOrSubquery(result);
        case OFFSET -> result = parseOffset(result);
        case AT -> result = parseAt(result);
        default -> {
          return result;
        }
      }
    }
  }

  private Expr parsePrimary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        next();
        return source.at(new Expr.NumberLiteral(number(t)), t.pos());
      }
      case STRING -> {
        next();
        return source.at(new Expr.StringLiteral(Literals.unquote(t.text())), t.pos());
      }
      case LEFT_PAREN -> {
        next();
        Expr inner = parseBinary(0);
        Token close = next();
        if (close.kind() != Kind.RIGHT_PAREN) {
          throw unexpected(close, null, null);
        }
        return source.at(new Expr.Paren(inner), t.pos());
      }
      case LEFT_BRACE -> {
        return selector(null, t.pos());
      }
      default -> {
        Kind following = tokens.get(Math.min(index + 1, tokens.size() - 1)).kind();
        if (t.kind() == Kind.AGGREGATOR
            && (following == Kind.LEFT_PAREN
                || following == Kind.BY
                || following == Kind.WITHOUT)) {
          return parseAggregate();
        }
        if (t.kind() == Kind.IDENTIFIER && following == Kind.LEFT_PAREN) {
          return parseCall();
        }
        if (METRIC_NAMES.contains(t.kind())) {
          next();
          return selector(t.text(), t.pos());
        }
        throw unexpected(t, null, null);
      }
    }
  }

  private Expr.VectorSelector selector(String name, int start) {
    List<LabelMatcher> matchers = new ArrayList<>();
    if (peek().kind() == Kind.LEFT_BRACE) {
      matchers.addAll(parseMatchers());
    }
    if (name != null) {
      matchers.add(LabelMatcher.equal(METRIC_NAME_LABEL, name));
    }
    return source.at(new Expr.VectorSelector(name, matchers, 0, null), start);
  }

  private List<LabelMatcher> parseMatchers() {
    next();
    List<LabelMatcher> matchers = new ArrayList<>();
    if (accept(Kind.RIGHT_BRACE)) {
      return matchers;
    }
    while (true) {
      Token label = next();
      if (label.kind() != Kind.IDENTIFIER) {
        throw unexpected(label, "label matching", "identifier or \"}\"");
      }
      Token op = next();
      LabelMatcher.Type type =
          switch (op.kind()) {
            case EQL -> LabelMatcher.Type.EQUAL;
            case NEQ -> LabelMatcher.Type.NOT_EQUAL;
            case EQL_REGEX -> LabelMatcher.Type.REGEX;
            case NEQ_REGEX -> LabelMatcher.Type.NOT_REGEX;
            default -> throw unexpected(op, "label matching", "label matching operator");
          };
      Token value = next();
      if (value.kind() != Kind.STRING) {
        throw unexpected(value, "label matching", "string");
      }
      try {
        matchers.add(LabelMatcher.of(type, label.text(), Literals.unquote(value.text())));
      } catch (IllegalArgumentException e) {
        throw error(label.pos(), e.getMessage());
      }
      Token t = next();
      if (t.kind() == Kind.RIGHT_BRACE) {
        return matchers;
      }
      if (t.kind() != Kind.COMMA) {
        throw unexpected(t, "label matching", "\",\" or \"}\"");
      }
      if (accept(Kind.RIGHT_BRACE)) {
        return matchers;
      }
    }
  }

  /** Both forms: {@code sum by (a) (x)} and {@code sum(x) by (a)}. */
  private Expr parseAggregate() {
    Token opToken = next();
    AggregateOp op = AggregateOp.valueOf(opToken.text().toUpperCase(Locale.ROOT));
    List<String> grouping = List.of();
    boolean without = false;
    List<Expr> args;
    Kind kind = peek().kind();
    if (kind == Kind.BY || kind == Kind.WITHOUT) {
      next();
      without = kind == Kind.WITHOUT;
      grouping = parseGroupingLabels();
      args = parseAggregationBody();
    } else {
      args = parseAggregationBody();
      kind = peek().kind();
      if (kind == Kind.BY || kind == Kind.WITHOUT) {
        next();
        without = kind == Kind.WITHOUT;
        grouping = parseGroupingLabels();
      }
    }
    if (args.isEmpty()) {
      throw error(opToken.pos(), "no arguments for aggregate expression provided");
    }
    int wanted = op.paramType() == null ? 1 : 2;
    if (args.size() != wanted) {
      throw error(
          opToken.pos(),
          "wrong number of arguments for aggregate expression provided, expected "
              + wanted
              + ", got "
              + args.size());
    }
    Expr param = wanted == 2 ? args.get(0) : null;
    return source.at(
        new Expr.Aggregate(op, args.get(wanted - 1), param, grouping, without), opToken.pos());
  }

  private Expr parseCall() {
    Token name = next();
    List<Expr> args = parseCallBody();
    Function function =
        Function.named(name.text())
            .orElseThrow(
                () ->
                    error(name.pos(), "unknown function with name " + GoQuote.quote(name.text())));
    return source.at(new Expr.Call(function, args), name.pos());
  }

  private List<Expr> parseAggregationBody() {
    aggregationDepth++;
    try {
      return parseCallBody();
    } finally {
      aggregationDepth--;
    }
  }

  /** {@code (arg, …)} of a function call or aggregation. */
  private List<Expr> parseCallBody() {
    Token open = next();
    if (open.kind() != Kind.LEFT_PAREN) {
      throw unexpected(open, null, null);
    }
    List<Expr> args = new ArrayList<>();
    if (accept(Kind.RIGHT_PAREN)) {
      return args;
    }
    while (true) {
      args.add(parseBinary(0));
      Token t = next();
      if (t.kind() == Kind.RIGHT_PAREN) {
        return args;
      }
      if (t.kind() != Kind.COMMA) {
        throw unexpected(t, null, null);
      }
      if (peek().kind() == Kind.RIGHT_PAREN) {
        throw error(t.pos(), "trailing commas not allowed in function call args");
      }
    }
  }

  /** {@code (label, …)} after by, without, on, ignoring, group_left or group_right. */
  private List<String> parseGroupingLabels() {
    Token open = next();
    if (open.kind() != Kind.LEFT_PAREN) {
      throw unexpected(open, "grouping opts", "\"(\"");
    }
    List<String> labels = new ArrayList<>();
    if (accept(Kind.RIGHT_PAREN)) {
      return labels;
    }
    while (true) {
      Token label = next();
      if (!GROUPING_LABELS.contains(label.kind()) || !isLabelName(label.text())) {
        throw unexpected(label, "grouping opts", "label");
      }
      labels.add(label.text());
      Token t = next();
      if (t.kind() == Kind.RIGHT_PAREN) {
        return labels;
      }
      if (t.kind() != Kind.COMMA) {
        throw unexpected(t, "grouping opts", "\",\" or \")\"");
      }
      if (accept(Kind.RIGHT_PAREN)) {
        return labels;
      }
    }
  }

  private Expr parseRangeOrSubquery(Expr expr) {
    Token open = next();
    Token rangeToken = next();
    if (rangeToken.kind() != Kind.DURATION) {
      throw unexpected(rangeToken, "subquery selector", "duration");
    }
    long range = duration(rangeToken);
    Token t = next();
    if (t.kind() == Kind.RIGHT_BRACKET) {
      String problem = null;
      if (!(expr instanceof Expr.VectorSelector vs)) {
        problem = "ranges only allowed for vector selectors";
      } else if (vs.offsetMs() != 0) {
        problem = "no offset modifiers allowed before range";
      } else if (vs.at() != null) {
        problem = "no @ modifiers allowed before range";
      }
      if (problem != null) {
        throw error(open.pos(), problem);
      }
      return source.at(
          new Expr.MatrixSelector((Expr.VectorSelector) expr, range), source.start(expr));
    }
    if (t.kind() != Kind.COLON) {
      throw unexpected(t, "subquery or range", "\":\" or \"]\"");
    }
    long step = 0;
    Token stepToken = next();
    if (stepToken.kind() == Kind.DURATION) {
      step = duration(stepToken);
      Token close = next();
      if (close.kind() != Kind.RIGHT_BRACKET) {
        throw unexpected(close, "subquery selector", "\"]\"");
      }
    } else if (stepToken.kind() != Kind.RIGHT_BRACKET) {
      throw unexpected(stepToken, "subquery selector", "duration or \"]\"");
    }
    return source.at(new Expr.Subquery(expr, range, step, 0, null), source.start(expr));
  }

  private Expr parseOffset(Expr expr) {
    next();
    Token t = next();
    boolean negative = t.kind() == Kind.SUB;
    if (negative) {
      t = next();
    }
    if (t.kind() != Kind.DURATION) {
      throw unexpected(t, "offset", "duration");
    }
    long offset = negative ? -duration(t) : duration(t);
    int start = source.start(expr);
    if (expr instanceof Expr.VectorSelector vs) {
      requireNoOffset(vs.offsetMs(), start);
      return source.at(withOffset(vs, offset), start);
    }
    if (expr instanceof Expr.MatrixSelector ms) {
      requireNoOffset(ms.selector().offsetMs(), start);
      return source.at(
          new Expr.MatrixSelector(withOffset(ms.selector(), offset), ms.rangeMs()), start);
    }
    if (expr instanceof Expr.Subquery sq) {
      requireNoOffset(sq.offsetMs(), start);
      return source.at(
          new Expr.Subquery(sq.expr(), sq.rangeMs(), sq.stepMs(), offset, sq.at()), start);
    }
    throw error(
        start,
        "offset modifier must be preceded by an instant vector selector or range vector selector"
            + " or a subquery");
  }

  private void requireNoOffset(long offsetMs, int start) {
    if (offsetMs != 0) {
      throw error(start, "offset may not be set multiple times");
    }
  }

  private static Expr.VectorSelector withOffset(Expr.VectorSelector vs, long offset) {
    return new Expr.VectorSelector(vs.name(), vs.matchers(), offset, vs.at());
  }

  private static Expr.VectorSelector withAt(Expr.VectorSelector vs, AtModifier at) {
    return new Expr.VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at);
  }

  private Expr parseAt(Expr expr) {
    next();
    Token t = next();
    int start = source.start(expr);
    AtModifier at;
    switch (t.kind()) {
      case NUMBER -> at = timestamp(number(t), start);
      case ADD, SUB -> {
        Token n = next();
        if (n.kind() != Kind.NUMBER) {
          throw unexpected(n, "@", "timestamp");
        }
        at = timestamp(t.kind() == Kind.SUB ? -number(n) : number(n), start);
      }
      case START, END -> {
        Token open = next();
        if (open.kind() != Kind.LEFT_PAREN) {
          throw unexpected(open, "@", "timestamp");
        }
        Token close = next();
        if (close.kind() != Kind.RIGHT_PAREN) {
          throw unexpected(close, "@", "timestamp");
        }
        at = t.kind() == Kind.START ? AtModifier.start() : AtModifier.end();
      }
      default -> throw unexpected(t, "@", "timestamp");
    }
    if (expr instanceof Expr.VectorSelector vs) {
      requireNoAt(vs.at(), start);
      return source.at(withAt(vs, at), start);
    }
    if (expr instanceof Expr.MatrixSelector ms) {
      requireNoAt(ms.selector().at(), start);
      return source.at(new Expr.MatrixSelector(withAt(ms.selector(), at), ms.rangeMs()), start);
    }
    if (expr instanceof Expr.Subquery sq) {
      requireNoAt(sq.at(), start);
      return source.at(
          new Expr.Subquery(sq.expr(), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), at), start);
    }
    throw error(
        start,
        "@ modifier must be preceded by an instant vector selector or range vector selector or a"
            + " subquery");
  }

  private void requireNoAt(AtModifier at, int start) {
    if (at != null) {
      throw error(start, "@ <timestamp> may not be set multiple times");
    }
  }

  /** Seconds to milliseconds, rounding half away from zero like Go's {@code math.Round}. */
  private AtModifier timestamp(double seconds, int start) {
    if (Double.isNaN(seconds)
        || Double.isInfinite(seconds)
        || seconds >= Long.MAX_VALUE
        || seconds <= Long.MIN_VALUE) {
      throw error(start, "timestamp out of bounds for @ modifier: " + goFloat(seconds));
    }
    double ms = seconds * 1000;
    return AtModifier.at((long) (Math.signum(ms) * Math.floor(Math.abs(ms) + 0.5)));
  }

  /** Go's {@code %f}. */
  private static String goFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(Locale.ROOT, "%f", v);
  }

  private double number(Token t) {
    try {
      return Literals.number(t.text());
    } catch (IllegalArgumentException e) {
      throw error(t.pos(), "error parsing number: " + e.getMessage());
    }
  }

  private long duration(Token t) {
    try {
      return Durations.parsePositiveMillis(t.text());
    } catch (IllegalArgumentException e) {
      throw error(t.pos(), e.getMessage());
    }
  }

  private static BinaryOp binaryOp(Kind kind) {
    return switch (kind) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case ATAN2 -> BinaryOp.ATAN2;
      case EQLC -> BinaryOp.EQL;
      case NEQ -> BinaryOp.NEQ;
      case LTE -> BinaryOp.LTE;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case GTR -> BinaryOp.GTR;
      case LAND -> BinaryOp.AND;
      case LOR -> BinaryOp.OR;
      case LUNLESS -> BinaryOp.UNLESS;
      default -> null;
    };
  }

  private static boolean isLabelName(String s) {
    return s.matches("[a-zA-Z_][a-zA-Z0-9_]*");
  }

  /** The next token; a lexical error surfaces here, when the parser reaches it. */
  private Token peek() {
    Token t = tokens.get(index);
    if (t.kind() == Kind.ERROR) {
      throw error(t.pos(), t.text());
    }
    return t;
  }

  private Token next() {
    Token t = peek();
    if (index < tokens.size() - 1) {
      index++;
    }
    return t;
  }

  private boolean accept(Kind kind) {
    if (peek().kind() == kind) {
      next();
      return true;
    }
    return false;
  }

  private PromQlParseException unexpected(Token t, String context, String expected) {
    StringBuilder message = new StringBuilder("unexpected ").append(t.describe());
    if (context != null) {
      message.append(" in ").append(context);
    } else if (aggregationDepth > 0) {
      message.append(" in aggregation");
    }
    if (expected != null) {
      message.append(", expected ").append(expected);
    }
    return error(t.pos(), message.toString());
  }

  private PromQlParseException error(int position, String message) {
    return ParseErrors.at(input, position, message);
  }
}
