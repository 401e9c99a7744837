package io.meridian.node.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * Counts, every interval, the shards and entities this node hosts per sharded entity type, by
 * asking each of the node's shard regions for its state ({@code GetShardRegionState}), and hands
 * the counts to {@link NodeMetrics} for the {@code meridian_shards} and {@code meridian_entities}
 * gauges. Asking at collection time would make every {@code /metrics} request wait for the regions;
 * a region that does not answer in time keeps its previous counts. Only this node's regions are
 * asked ({@code ClusterOverview} asks every member's, for the cluster API).
 */
public final class ShardCensus {

  /** The shards and entities on this node, by entity type. */
  record Counts(Map<String, Integer> shards, Map<String, Integer> entities) {
    static final Counts NONE = new Counts(Map.of(), Map.of());

    Counts {
      shards = Map.copyOf(shards);
      entities = Map.copyOf(entities);
    }
  }

  private record Region(String type, int shards, int entities) {}

  private final ActorSystem<?> system;
  private final NodeMetrics metrics;
  private final Duration timeout;

  private ShardCensus(ActorSystem<?> system, NodeMetrics metrics, Duration timeout) {
    this.system = system;
    this.metrics = metrics;
    this.timeout = timeout;
  }

  /** Counts now and then every {@code interval} until the actor system terminates. */
  public static void start(ActorSystem<?> system, NodeMetrics metrics, Duration interval) {
    ShardCensus census = new ShardCensus(system, metrics, interval);
    system
        .scheduler()
        .scheduleWithFixedDelay(
            Duration.ofSeconds(1), interval, census::count, system.executionContext());
  }

  /**
   * Asks every region. Never throws: a scheduled task that throws is not run again, and the gauges
   * would stop for good.
   */
  private void count() {
    List<CompletableFuture<Region>> regions = new ArrayList<>();
    try {
      ClusterSharding sharding = ClusterSharding.get(system.classicSystem());
      for (String type : sharding.getShardTypeNames()) {
        regions.add(ask(type, sharding.shardRegion(type)));
      }
    } catch (RuntimeException e) {
      system.log().debug("Counting this node's shards failed, keeping the previous counts", e);
      return;
    }
    CompletableFuture.allOf(regions.toArray(CompletableFuture[]::new))
        .thenRun(
            () -> {
              Map<String, Integer> shards = new TreeMap<>();
              Map<String, Integer> entities = new TreeMap<>();
              for (CompletableFuture<Region> answer : regions) {
                Region region = answer.join();
                shards.put(region.type(), region.shards());
                entities.put(region.type(), region.entities());
              }
              metrics.sharding(new Counts(shards, entities));
            });
  }

  /** The region's counts, or the previous ones when it does not answer. */
  private CompletableFuture<Region> ask(String type, ActorRef region) {
    return Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), timeout)
        .toCompletableFuture()
        .handle(
            (answer, failure) -> {
              if (answer instanceof ShardRegion.CurrentShardRegionState state) {
                int entities = 0;
                for (ShardRegion.ShardState shard : state.getShards()) {
                  entities += shard.getEntityIds().size();
                }
                return new Region(type, state.getShards().size(), entities);
              }
              Counts previous = metrics.shardingCounts();
              return new Region(
                  type,
                  previous.shards().getOrDefault(type, 0),
                  previous.entities().getOrDefault(type, 0));
            });
  }
}
