package io.meridian.node.promql;

import io.meridian.node.promql.Value.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The samples {@code topk} or {@code bottomk} keeps for one group, selected through the same binary
 * heap as Prometheus' {@code container/heap} use so that ties and NaN values end up as they do
 * there.
 */
final class TopK {

  private final boolean top;
  private final long k;
  private final List<Sample> heap = new ArrayList<>();

  TopK(boolean top, long k, Sample first) {
    this.top = top;
    this.k = k;
    heap.add(first);
  }

  void add(Sample sample) {
    double root = heap.get(0).value();
    boolean better = top ? root < sample.value() : root > sample.value();
    if (heap.size() < k || better || Double.isNaN(root)) {
      if (heap.size() == k) {
        if (k == 1) {
          heap.set(0, sample);
          return;
        }
        pop();
      }
      push(sample);
    }
  }

  /** The kept samples, best first. */
  List<Sample> ranked() {
    return heap.size() > 1 ? GoSort.byValueNanLast(heap, !top) : List.copyOf(heap);
  }

  /** {@code vectorByValueHeap.Less} (topk) or {@code vectorByReverseValueHeap.Less} (bottomk). */
  private boolean less(int i, int j) {
    double vi = heap.get(i).value();
    double vj = heap.get(j).value();
    return Double.isNaN(vi) || (top ? vi < vj : vi > vj);
  }

  private void push(Sample sample) {
    heap.add(sample);
    int j = heap.size() - 1;
    while (true) {
      int i = (j - 1) / 2;
      if (i == j || !less(j, i)) {
        break;
      }
      Collections.swap(heap, i, j);
      j = i;
    }
  }

  private void pop() {
    int n = heap.size() - 1;
    Collections.swap(heap, 0, n);
    down(n);
    heap.remove(n);
  }

  private void down(int n) {
    int i = 0;
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < n && less(j2, j1)) {
        j = j2;
      }
      if (!less(j, i)) {
        break;
      }
      Collections.swap(heap, i, j);
      i = j;
    }
  }
}
