package io.meridian.node.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The JVM's metrics (memory, GC, threads, classes, …) in every node's registry. They are registered
 * once per JVM, in a registry of their own: registering them into each node's registry would add GC
 * listeners per node that are never removed and keep every stopped node's registry (and, through
 * its callbacks, its actor system) reachable, which matters when tests run many nodes in one JVM.
 */
final class JvmCollector implements MultiCollector {

  static final JvmCollector INSTANCE = new JvmCollector();

  private static final PrometheusRegistry JVM = new PrometheusRegistry();

  static {
    JvmMetrics.builder().register(JVM);
  }

  private JvmCollector() {}

  @Override
  public MetricSnapshots collect() {
    return JVM.scrape();
  }
}
