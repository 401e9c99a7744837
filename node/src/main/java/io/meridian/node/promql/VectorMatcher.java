package io.meridian.node.promql;

import io.meridian.node.promql.Value.Sample;
import io.meridian.protocol.promql.BinaryOp;
import io.meridian.protocol.promql.VectorMatching;
import io.meridian.protocol.promql.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prometheus 2.42's {@code VectorBinop}: arithmetic and comparison operators between two instant
 * vectors, one-to-one or many-to-one / one-to-many ({@code group_left} / {@code group_right}), with
 * its errors for ambiguous matches and its {@code resultMetric} labels.
 */
final class VectorMatcher {

  private VectorMatcher() {}

  /**
   * The labels two samples are matched on: the {@code on} labels, or all but the {@code ignoring}
   * labels and {@code __name__}.
   */
  static Labels signature(Labels labels, VectorMatching matching) {
    return matching.on()
        ? labels.keep(matching.labels())
        : labels.without(matching.labels()).withoutMetricName();
  }

  static List<Sample> apply(
      BinaryOp op,
      List<Sample> lhs,
      List<Sample> rhs,
      VectorMatching matching,
      boolean returnBool) {
    if (matching.cardinality() == Cardinality.MANY_TO_MANY) {
      throw new IllegalArgumentException("many-to-many only allowed for set operators");
    }
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    // One-to-many is many-to-one with the sides swapped; values are swapped back below.
    boolean swapped = matching.cardinality() == Cardinality.ONE_TO_MANY;
    List<Sample> many = swapped ? rhs : lhs;
    List<Sample> one = swapped ? lhs : rhs;

    Map<Labels, Sample> oneSigs = new HashMap<>();
    for (Sample rs : one) {
      Labels sig = signature(rs.labels(), matching);
      Sample duplicate = oneSigs.putIfAbsent(sig, rs);
      if (duplicate != null) {
        // Go's Labels.MatchLabels names the same label set as the signature.
        throw execution(
            "found duplicate series for the match group "
                + GoStrings.labels(sig)
                + " on the "
                + (swapped ? "left" : "right")
                + " hand-side of the operation: ["
                + GoStrings.labels(rs.labels())
                + ", "
                + GoStrings.labels(duplicate.labels())
                + "];many-to-many matching not allowed: matching labels must be unique on one"
                + " side");
      }
    }

    Map<Labels, Set<Labels>> matchedSigs = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    for (Sample ls : many) {
      Labels sig = signature(ls.labels(), matching);
      Sample rs = oneSigs.get(sig);
      if (rs == null) {
        continue;
      }
      double vl = swapped ? rs.value() : ls.value();
      double vr = swapped ? ls.value() : rs.value();
      double value;
      boolean keep;
      if (op.isComparison()) {
        value = vl;
        keep = Arithmetic.compare(op, vl, vr);
      } else {
        value = Arithmetic.apply(op, vl, vr);
        keep = true;
      }
      if (returnBool) {
        value = keep ? 1 : 0;
      } else if (!keep) {
        continue;
      }
      Labels metric = resultMetric(ls.labels(), rs.labels(), op, matching);
      if (returnBool) {
        metric = metric.withoutMetricName();
      }
      Set<Labels> inserted = matchedSigs.get(sig);
      if (matching.cardinality() == Cardinality.ONE_TO_ONE) {
        if (inserted != null) {
          throw execution(
              "multiple matches for labels: many-to-one matching must be explicit"
                  + " (group_left/group_right)");
        }
        matchedSigs.put(sig, Set.of());
      } else {
        if (inserted == null) {
          inserted = new HashSet<>();
          matchedSigs.put(sig, inserted);
        }
        if (!inserted.add(metric)) {
          throw execution(
              "multiple matches for labels: grouping labels must ensure unique matches");
        }
      }
      out.add(new Sample(metric, ls.timestampMs(), value));
    }
    return out;
  }

  /**
   * {@code resultMetric}: the "many" side's labels, without {@code __name__} for arithmetic, cut to
   * the matching labels for one-to-one, plus the {@code group_x} labels from the "one" side.
   */
  private static Labels resultMetric(
      Labels many, Labels one, BinaryOp op, VectorMatching matching) {
    TreeMap<String, String> labels = new TreeMap<>(many.map());
    if (Arithmetic.dropsMetricName(op)) {
      labels.remove(Labels.METRIC_NAME);
    }
    if (matching.cardinality() == Cardinality.ONE_TO_ONE) {
      if (matching.on()) {
        labels.keySet().retainAll(new HashSet<>(matching.labels()));
      } else {
        matching.labels().forEach(labels::remove);
      }
    }
    for (String name : matching.include()) {
      String value = one.get(name);
      if (value != null && !value.isEmpty()) {
        labels.put(name, value);
      } else {
        labels.remove(name);
      }
    }
    return new Labels(labels);
  }

  private static PromQlException execution(String message) {
    return new PromQlException(PromQlException.Kind.EXECUTION, message);
  }
}
