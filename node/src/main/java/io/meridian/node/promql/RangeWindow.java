package io.meridian.node.promql;

import java.util.List;

/**
 * A range vector at one evaluation time: the points of each series in {@code [startMs, endMs]}, and
 * the window's bounds, which rate extrapolation measures against.
 */
record RangeWindow(List<Value.Series> series, long startMs, long endMs) {

  long rangeMs() {
    return endMs - startMs;
  }
}
