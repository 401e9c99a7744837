package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.http.ApiStats;
import io.meridian.node.MeridianNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /api/stats} and {@code /api/stats/jvm}: the node's own counters, cluster membership and
 * JVM figures, in OpenTSDB's shapes.
 */
final class StatsHandler {

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final TsdbResponses responses;
  private final ApiStats stats;
  private final String host;

  StatsHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses, ApiStats stats) {
    this.node = node;
    this.mapper = mapper;
    this.responses = responses;
    this.stats = stats;
    this.host = TsdbResponses.hostName();
  }

  /**
   * The node's counters, cluster membership and JVM figures, with the storage figures (series,
   * series with samples in memory, head bytes, chunks awaiting their write) of the request's tenant
   * only, as no project may see another's, when its groups answer in time; without them when they
   * do not, as the rest is still useful.
   */
  CompletionStage<HttpResponse> stats(String tenant) {
    return node.series()
        .stats(tenant)
        .handle(
            (storage, failure) -> {
              long now = System.currentTimeMillis() / 1000;
              ArrayNode list = counters(now);
              if (storage != null) {
                Map<String, String> tags = Map.of("tenant", tenant);
                add(list, "meridian.series.count", now, storage.series(), tags);
                add(
                    list,
                    "meridian.series.active",
                    now,
                    storage.activeSeries(),
                    Map.of("tenant", tenant));
                add(list, "meridian.series.head_bytes", now, storage.headBytes(), tags);
                add(list, "meridian.series.pending_chunks", now, storage.pendingChunks(), tags);
              }
              return responses.json(StatusCodes.OK, list);
            });
  }

  private ArrayNode counters(long now) {
    ArrayNode list = mapper.createArrayNode();
    for (ApiStats.Stat stat : stats.snapshot()) {
      add(list, stat.metric(), now, stat.value(), stat.tags());
    }
    Runtime runtime = Runtime.getRuntime();
    add(list, "tsd.jvm.ramfree", now, runtime.freeMemory(), Map.of());
    add(list, "tsd.jvm.ramused", now, runtime.totalMemory(), Map.of());
    add(list, "tsd.jvm.threads", now, Thread.activeCount(), Map.of());
    Cluster cluster = Cluster.get(node.system());
    long up = 0;
    long members = 0;
    for (var member : cluster.state().getMembers()) {
      members++;
      if (member.status() == MemberStatus.up()) {
        up++;
      }
    }
    add(list, "meridian.cluster.members", now, members, Map.of());
    add(list, "meridian.cluster.members", now, up, Map.of("status", "up"));
    add(
        list,
        "meridian.cluster.unreachable",
        now,
        cluster.state().getUnreachable().size(),
        Map.of());
    return list;
  }

  HttpResponse jvm() {
    ObjectNode body = mapper.createObjectNode();
    var runtime = ManagementFactory.getRuntimeMXBean();
    ObjectNode rt = body.putObject("runtime");
    rt.put("startTime", runtime.getStartTime());
    rt.put("uptime", runtime.getUptime());
    rt.put("vmName", runtime.getVmName());
    rt.put("vmVendor", runtime.getVmVendor());
    rt.put("vmVersion", runtime.getVmVersion());
    ObjectNode memory = body.putObject("memory");
    var mem = ManagementFactory.getMemoryMXBean();
    usage(memory.putObject("heapMemoryUsage"), mem.getHeapMemoryUsage());
    usage(memory.putObject("nonHeapMemoryUsage"), mem.getNonHeapMemoryUsage());
    ObjectNode os = body.putObject("os");
    var osBean = ManagementFactory.getOperatingSystemMXBean();
    os.put("systemLoadAverage", osBean.getSystemLoadAverage());
    os.put("availableProcessors", osBean.getAvailableProcessors());
    ObjectNode threads = body.putObject("threads");
    threads.put("threadCount", ManagementFactory.getThreadMXBean().getThreadCount());
    ObjectNode gc = body.putObject("gc");
    for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ObjectNode c = gc.putObject(collector.getName());
      c.put("collectionCount", collector.getCollectionCount());
      c.put("collectionTime", collector.getCollectionTime());
    }
    return responses.json(StatusCodes.OK, body);
  }

  private static void usage(ObjectNode node, MemoryUsage usage) {
    node.put("init", usage.getInit());
    node.put("used", usage.getUsed());
    node.put("committed", usage.getCommitted());
    node.put("max", usage.getMax());
  }

  private void add(ArrayNode list, String metric, long ts, long value, Map<String, String> tags) {
    ObjectNode stat = list.addObject();
    stat.put("metric", metric);
    stat.put("timestamp", ts);
    stat.put("value", Long.toString(value));
    ObjectNode tagNode = stat.putObject("tags");
    tagNode.put("host", host);
    tags.forEach(tagNode::put);
  }
}
