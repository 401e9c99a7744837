package io.meridian.node.promql;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Sample;
import io.meridian.node.promql.Value.Scalar;
import io.meridian.protocol.promql.BinaryOp;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.VectorMatching;
import io.meridian.protocol.promql.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PromQL binary operators between two values evaluated at the same instant, as Prometheus 2.42's
 * {@code scalarBinop}, {@code VectorscalarBinop}, {@code VectorBinop} and the set operators:
 * comparisons filter (keeping the vector's value and {@code __name__}) unless {@code bool} turns
 * them into 0/1; vector-vector operations pair samples by their matching labels.
 */
public final class BinaryOperations {

  private BinaryOperations() {}

  /** {@code lhs op rhs}; each side is a {@link Scalar} or an {@link InstantVector}. */
  public static Value apply(Expr.Binary expr, Value lhs, Value rhs, long timestampMs) {
    BinaryOp op = expr.op();
    if (lhs instanceof Scalar l && rhs instanceof Scalar r) {
      return new Scalar(timestampMs, Arithmetic.scalars(op, l.value(), r.value()));
    }
    if (lhs instanceof InstantVector l && rhs instanceof Scalar r) {
      return vectorScalar(op, l, r.value(), false, expr.returnBool(), timestampMs);
    }
    if (lhs instanceof Scalar l && rhs instanceof InstantVector r) {
      return vectorScalar(op, r, l.value(), true, expr.returnBool(), timestampMs);
    }
    if (lhs instanceof InstantVector l && rhs instanceof InstantVector r) {
      VectorMatching matching = expr.matching() != null ? expr.matching() : defaultMatching(op);
      List<Sample> out =
          switch (op) {
            case AND -> and(l.samples(), r.samples(), matching);
            case OR -> or(l.samples(), r.samples(), matching);
            case UNLESS -> unless(l.samples(), r.samples(), matching);
            default ->
                VectorMatcher.apply(op, l.samples(), r.samples(), matching, expr.returnBool());
          };
      return new InstantVector(atTime(out, timestampMs));
    }
    throw new IllegalArgumentException("binary operators take scalars and instant vectors");
  }

  private static VectorMatching defaultMatching(BinaryOp op) {
    return op.isSetOperator()
        ? new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of())
        : VectorMatching.oneToOne();
  }

  /**
   * The scalar is {@code rhs}, or {@code lhs} when {@code swap}; the result keeps vector labels.
   */
  private static InstantVector vectorScalar(
      BinaryOp op,
      InstantVector vector,
      double scalar,
      boolean swap,
      boolean returnBool,
      long timestampMs) {
    List<Sample> out = new ArrayList<>(vector.samples().size());
    for (Sample sample : vector.samples()) {
      double lv = swap ? scalar : sample.value();
      double rv = swap ? sample.value() : scalar;
      double value;
      boolean keep;
      if (op.isComparison()) {
        keep = Arithmetic.compare(op, lv, rv);
        // A comparison keeps the vector's value, whichever side the vector is on.
        value = sample.value();
      } else {
        keep = true;
        value = Arithmetic.apply(op, lv, rv);
      }
      if (returnBool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (keep) {
        Labels labels =
            Arithmetic.dropsMetricName(op) || returnBool
                ? sample.labels().withoutMetricName()
                : sample.labels();
        out.add(new Sample(labels, timestampMs, value));
      }
    }
    return new InstantVector(out);
  }

  private static List<Sample> and(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    Set<Labels> rightSigs = signatures(rhs, matching);
    return lhs.stream()
        .filter(s -> rightSigs.contains(VectorMatcher.signature(s.labels(), matching)))
        .toList();
  }

  private static List<Sample> or(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
    if (lhs.isEmpty()) {
      return rhs;
    }
    if (rhs.isEmpty()) {
      return lhs;
    }
    Set<Labels> leftSigs = signatures(lhs, matching);
    List<Sample> out = new ArrayList<>(lhs);
    rhs.stream()
        .filter(s -> !leftSigs.contains(VectorMatcher.signature(s.labels(), matching)))
        .forEach(out::add);
    return out;
  }

  private static List<Sample> unless(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return lhs;
    }
    Set<Labels> rightSigs = signatures(rhs, matching);
    return lhs.stream()
        .filter(s -> !rightSigs.contains(VectorMatcher.signature(s.labels(), matching)))
        .toList();
  }

  private static Set<Labels> signatures(List<Sample> samples, VectorMatching matching) {
    Set<Labels> out = new HashSet<>();
    samples.forEach(s -> out.add(VectorMatcher.signature(s.labels(), matching)));
    return out;
  }

  private static List<Sample> atTime(List<Sample> samples, long timestampMs) {
    List<Sample> out = new ArrayList<>(samples.size());
    samples.forEach(s -> out.add(new Sample(s.labels(), timestampMs, s.value())));
    return out;
  }
}
