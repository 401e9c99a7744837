package io.meridian.protocol.promql;

import io.meridian.protocol.promql.VectorMatching.Cardinality;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks a parsed tree as Prometheus' {@code checkAST} does, once the whole expression has parsed:
 * operand and argument types, {@code bool} use, vector matching clauses, and that selectors do not
 * select everything. Throws the first problem found, children before parents.
 */
final class TypeChecker {

  private final String query;
  private final SourceMap source;

  TypeChecker(String query, SourceMap source) {
    this.query = query;
    this.source = source;
  }

  /** The type of {@code expr}, after checking it and everything below it. */
  ValueType check(Expr expr) {
    if (expr instanceof Expr.Aggregate a) {
      checkAggregate(a);
    } else if (expr instanceof Expr.Binary b) {
      return checkBinaryChain(b);
    } else if (expr instanceof Expr.Call c) {
      checkCall(c);
    } else if (expr instanceof Expr.Paren p) {
      check(p.expr());
    } else if (expr instanceof Expr.Unary u) {
      ValueType t = check(u.expr());
      if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
        throw error(
            source.start(u),
            "unary expression only allowed on expressions of type scalar or instant vector, got "
                + GoQuote.quote(documented(t)));
      }
    } else if (expr instanceof Expr.Subquery s) {
      ValueType t = check(s.expr());
      if (t != ValueType.VECTOR) {
        throw error(
            source.start(s),
            "subquery is only allowed on instant vector, got " + t.apiName() + " instead");
      }
    } else if (expr instanceof Expr.MatrixSelector m) {
      check(m.selector());
    } else if (expr instanceof Expr.VectorSelector v) {
      checkSelector(v);
    }
    return source.type(expr);
  }

  /** The non-empty matcher rule alone, as {@code match[]} selectors need it. */
  void checkSelectsSomething(Expr.VectorSelector selector) {
    if (selector.matchers().stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw error(
          source.start(selector), "vector selector must contain at least one non-empty matcher");
    }
  }

  private void checkSelector(Expr.VectorSelector v) {
    if (v.name() == null) {
      checkSelectsSomething(v);
      return;
    }
    // The name's own matcher is the last one; an earlier __name__ matcher names it twice.
    for (LabelMatcher m : v.matchers().subList(0, v.matchers().size() - 1)) {
      if (m.name().equals("__name__")) {
        throw error(
            source.start(v),
            "metric name must not be set twice: "
                + GoQuote.quote(v.name())
                + " or "
                + GoQuote.quote(m.value()));
      }
    }
  }

  private void checkAggregate(Expr.Aggregate a) {
    expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
    if (a.op().paramType() != null) {
      expectType(a.param(), a.op().paramType(), "aggregation parameter");
    }
  }

  /**
   * Checks a binary expression and the binary expressions down its left side without recursing
   * along that side, so that a long chain such as {@code a + b + … + z} checks in constant stack
   * depth; the order (left operand, right operand, operator) stays that of Prometheus.
   */
  private ValueType checkBinaryChain(Expr.Binary top) {
    Deque<Expr.Binary> chain = new ArrayDeque<>();
    Expr left = top;
    while (left instanceof Expr.Binary b) {
      chain.push(b);
      left = b.lhs();
    }
    ValueType lt = check(left);
    while (!chain.isEmpty()) {
      Expr.Binary b = chain.pop();
      ValueType rt = check(b.rhs());
      checkBinary(b, lt, rt);
      lt = lt == ValueType.SCALAR && rt == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }
    return lt;
  }

  private void checkBinary(Expr.Binary b, ValueType lt, ValueType rt) {
    BinaryOp op = b.op();
    VectorMatching written = source.writtenMatching(b);
    int opPos = source.operator(b);
    if (b.returnBool() && !op.isComparison()) {
      throw error(opPos, "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw error(opPos, "comparisons between scalars must use BOOL modifier");
    }
    if (written.on()) {
      for (String label : written.labels()) {
        if (written.include().contains(label)) {
          throw error(
              opPos,
              "label " + GoQuote.quote(label) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw error(
          source.start(b.lhs()),
          "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw error(
          source.start(b.rhs()),
          "binary expression must contain only scalar and instant vector types");
    }
    if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
      if (!written.labels().isEmpty()) {
        throw error(source.start(b), "vector matching only allowed between instant vectors");
      }
    } else if (op.isSetOperator()
        && (written.cardinality() == Cardinality.ONE_TO_MANY
            || written.cardinality() == Cardinality.MANY_TO_ONE)) {
      throw error(
          source.start(b), "no grouping allowed for " + GoQuote.quote(op.symbol()) + " operation");
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(
          source.start(b),
          "set operator "
              + GoQuote.quote(op.symbol())
              + " not allowed in binary scalar expression");
    }
  }

  private void checkCall(Expr.Call c) {
    Function f = c.function();
    int declared = f.argTypes().size();
    int given = c.args().size();
    String name = GoQuote.quote(f.functionName());
    if (f.optional() == 0) {
      if (declared != given) {
        throw error(
            source.start(c),
            "expected " + declared + " argument(s) in call to " + name + ", got " + given);
      }
    } else {
      int min = f.optional() < 0 ? declared - 1 : declared - f.optional();
      if (given < min) {
        throw error(
            source.start(c),
            "expected at least " + min + " argument(s) in call to " + name + ", got " + given);
      }
      if (f.optional() > 0 && given > declared) {
        throw error(
            source.start(c),
            "expected at most " + declared + " argument(s) in call to " + name + ", got " + given);
      }
    }
    for (int i = 0; i < given; i++) {
      // Repeated trailing arguments of a variadic function share the last declared type.
      ValueType want = f.argTypes().get(Math.min(i, declared - 1));
      expectType(c.args().get(i), want, "call to function " + name);
    }
  }

  private void expectType(Expr expr, ValueType want, String context) {
    ValueType t = check(expr);
    if (t != want) {
      throw error(
          source.start(expr),
          "expected type " + documented(want) + " in " + context + ", got " + documented(t));
    }
  }

  /** Prometheus' {@code DocumentedType}: how its messages name value types. */
  private static String documented(ValueType t) {
    return switch (t) {
      case MATRIX -> "range vector";
      case VECTOR -> "instant vector";
      case SCALAR -> "scalar";
      case STRING -> "string";
    };
  }

  private PromQlParseException error(int position, String message) {
    return ParseErrors.at(query, position, message);
  }
}
