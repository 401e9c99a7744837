package io.meridian.protocol.promql;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each node of a freshly parsed tree starts, and what its binary operators said before
 * normalisation: what {@link TypeChecker} needs to report errors as Prometheus does. Keyed by
 * identity, since equal records may sit at different places of a query.
 */
final class SourceMap {

  private final Map<Expr, Integer> starts = new IdentityHashMap<>();
  private final Map<Expr, Integer> operators = new IdentityHashMap<>();
  private final Map<Expr, VectorMatching> matchings = new IdentityHashMap<>();
  private final Map<Expr, ValueType> types = new IdentityHashMap<>();

  /** Records where {@code expr} starts and returns it. */
  <E extends Expr> E at(E expr, int position) {
    starts.put(expr, position);
    types.put(expr, computeType(expr));
    return expr;
  }

  /** Records a binary expression's operator position and its matching clause as written. */
  Expr.Binary binary(Expr.Binary binary, int start, int operator, VectorMatching written) {
    starts.put(binary, start);
    types.put(binary, computeType(binary));
    operators.put(binary, operator);
    matchings.put(binary, written);
    return binary;
  }

  /**
   * The type of a node, as {@link Expr#type()} gives it but without walking down chains of
   * operators again, so that long chains such as {@code a + b + … + z} stay cheap and shallow.
   */
  ValueType type(Expr expr) {
    ValueType known = types.get(expr);
    return known != null ? known : computeType(expr);
  }

  private ValueType computeType(Expr expr) {
    if (expr instanceof Expr.Binary b) {
      return type(b.lhs()) == ValueType.SCALAR && type(b.rhs()) == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.VECTOR;
    }
    if (expr instanceof Expr.Paren p) {
      return type(p.expr());
    }
    if (expr instanceof Expr.Unary u) {
      return type(u.expr());
    }
    return expr.type();
  }

  int start(Expr expr) {
    return starts.getOrDefault(expr, 0);
  }

  int operator(Expr.Binary binary) {
    return operators.getOrDefault(binary, start(binary));
  }

  /** The matching clause as written (one-to-one when none), even where the tree keeps null. */
  VectorMatching writtenMatching(Expr.Binary binary) {
    return matchings.getOrDefault(binary, VectorMatching.oneToOne());
  }
}
