package io.meridian.node.promql;

import io.meridian.node.promql.Value.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Orders samples by value the way Prometheus' {@code sort.Sort(sort.Reverse(vectorBy…Heap))} does
 * (used by {@code sort}, {@code sort_desc}, {@code topk} and {@code bottomk}): NaN last. Go sorts
 * up to 12 elements by insertion sort with a {@code Less} that is not a strict order for NaN, which
 * reverses the order of NaN samples; that is replayed exactly. Longer vectors use a stable sort
 * that agrees except in the relative order of equal values.
 */
final class GoSort {

  private static final int INSERTION_SORT_MAX = 12;

  private GoSort() {}

  /** Ascending ({@code sort}, {@code bottomk}) or descending ({@code sort_desc}, {@code topk}). */
  static List<Sample> byValueNanLast(List<Sample> samples, boolean ascending) {
    List<Sample> out = new ArrayList<>(samples);
    if (out.size() <= INSERTION_SORT_MAX) {
      for (int i = 1; i < out.size(); i++) {
        for (int j = i; j > 0 && less(out.get(j), out.get(j - 1), ascending); j--) {
          Collections.swap(out, j, j - 1);
        }
      }
      return out;
    }
    Comparator<Sample> order =
        (a, b) -> {
          double x = a.value();
          double y = b.value();
          if (Double.isNaN(x) || Double.isNaN(y)) {
            return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
          }
          int c = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? c : -c;
        };
    out.sort(order);
    return out;
  }

  /** {@code sort.Reverse(h).Less(i, j)} = {@code h.Less(j, i)} for the by-value heaps. */
  private static boolean less(Sample i, Sample j, boolean ascending) {
    double vj = j.value();
    double vi = i.value();
    return Double.isNaN(vj) || (ascending ? vj > vi : vj < vi);
  }
}
