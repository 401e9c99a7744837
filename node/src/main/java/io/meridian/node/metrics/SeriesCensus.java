package io.meridian.node.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many series each series group hosted on this node holds, as the groups report it when the
 * number changes (after recovery, a write creating series, series expiring) and when they stop; the
 * {@code meridian_series{project}} gauge sums it by project when collected.
 */
public final class SeriesCensus {

  private record Held(String project, long series) {}

  private final Map<String, Held> groups = new ConcurrentHashMap<>();

  /** Group {@code entityId} of {@code project} now holds {@code series} series. */
  public void held(String entityId, String project, long series) {
    groups.put(entityId, new Held(project, series));
  }

  /** Group {@code entityId} stopped on this node (passivated, moved, or the node is leaving). */
  public void released(String entityId) {
    groups.remove(entityId);
  }

  /** The series held, by project. */
  Map<String, Long> byProject() {
    Map<String, Long> totals = new TreeMap<>();
    groups.values().forEach(held -> totals.merge(held.project(), held.series(), Long::sum));
    return totals;
  }
}
