package io.meridian.node;

import io.meridian.node.annotation.AnnotationStore;
import io.meridian.node.auth.AuthRegistry;
import io.meridian.node.logs.LogIndex;
import io.meridian.node.logs.LogStream;
import io.meridian.node.scrape.ScrapeCatalog;
import io.meridian.node.scrape.TargetScraper;
import io.meridian.node.series.SeriesGroup;
import io.meridian.node.uid.UidRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats;
import org.apache.pekko.cluster.sharding.ShardRegion.ShardRegionStats;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Leave;

/**
 * What operators ask of the cluster as a whole: its members with their status and reachability, and
 * how many shards and entities of each sharded type each member hosts; and the two membership
 * actions, leave and down. The console and the CLI read it through the native API.
 */
public final class ClusterOverview {

  /** Every sharded entity type of a node, by name. */
  public static final List<EntityTypeKey<?>> ENTITY_TYPES =
      List.of(
          SeriesGroup.ENTITY_KEY,
          UidRegistry.ENTITY_KEY,
          AnnotationStore.ENTITY_KEY,
          AuthRegistry.ENTITY_KEY,
          LogIndex.ENTITY_KEY,
          LogStream.ENTITY_KEY,
          ScrapeCatalog.ENTITY_KEY,
          TargetScraper.ENTITY_KEY);

  /** One member: its shards and entities per entity type name (types that answered). */
  public record MemberView(
      Address address,
      String status,
      Set<String> roles,
      String dataCenter,
      boolean reachable,
      boolean self,
      Map<String, Integer> shards,
      Map<String, Integer> entities) {}

  /**
   * The cluster as this node sees it; {@code incompleteTypes} names the entity types whose
   * statistics did not arrive within the timeout (their counts are missing, not zero).
   */
  public record Snapshot(
      Address self,
      Optional<Address> leader,
      Optional<Address> oldest,
      List<MemberView> members,
      List<String> incompleteTypes) {}

  /** What a membership action found. */
  public enum Outcome {
    DONE,
    NO_SUCH_MEMBER
  }

  private final ActorSystem<?> system;

  public ClusterOverview(ActorSystem<?> system) {
    this.system = system;
  }

  /** The members and, asked of every shard region within {@code timeout}, their shards. */
  public CompletionStage<Snapshot> snapshot(Duration timeout) {
    Map<String, CompletableFuture<Optional<ClusterShardingStats>>> stats = new TreeMap<>();
    for (EntityTypeKey<?> type : ENTITY_TYPES) {
      stats.put(type.name(), statsOf(type, timeout));
    }
    return CompletableFuture.allOf(stats.values().toArray(new CompletableFuture<?>[0]))
        .thenApply(ignored -> build(stats));
  }

  private CompletableFuture<Optional<ClusterShardingStats>> statsOf(
      EntityTypeKey<?> type, Duration timeout) {
    CompletionStage<ClusterShardingStats> asked =
        AskPattern.ask(
            ClusterSharding.get(system).shardState(),
            (org.apache.pekko.actor.typed.ActorRef<ClusterShardingStats> replyTo) ->
                new GetClusterShardingStats(type, timeout, replyTo),
            // The regions are asked with `timeout`; the answer comes back a little after it.
            timeout.plusSeconds(1),
            system.scheduler());
    return asked
        .thenApply(Optional::of)
        .exceptionally(failure -> Optional.empty())
        .toCompletableFuture();
  }

  private Snapshot build(Map<String, CompletableFuture<Optional<ClusterShardingStats>>> stats) {
    Cluster cluster = Cluster.get(system);
    Address self = cluster.selfMember().address();
    Set<Member> unreachable = cluster.state().getUnreachable();
    List<String> incomplete = new ArrayList<>();
    Map<String, Map<Address, ShardRegionStats>> regions = new TreeMap<>();
    stats.forEach(
        (type, answer) -> {
          Optional<ClusterShardingStats> got = answer.join();
          if (got.isEmpty()) {
            incomplete.add(type);
            return;
          }
          regions.put(type, got.get().getRegions());
          if (!got.get().getRegions().values().stream().allMatch(r -> r.getFailed().isEmpty())) {
            incomplete.add(type);
          }
        });
    List<MemberView> members = new ArrayList<>();
    for (Member member : cluster.state().getMembers()) {
      Map<String, Integer> shards = new TreeMap<>();
      Map<String, Integer> entities = new TreeMap<>();
      regions.forEach(
          (type, byAddress) -> {
            ShardRegionStats region = byAddress.get(member.address());
            if (region != null) {
              shards.put(type, region.getStats().size());
              entities.put(
                  type,
                  region.getStats().values().stream().mapToInt(n -> ((Number) n).intValue()).sum());
            }
          });
      members.add(
          new MemberView(
              member.address(),
              member.status().toString(),
              StreamSupport.stream(member.getRoles().spliterator(), false)
                  .collect(Collectors.toCollection(java.util.TreeSet::new)),
              member.dataCenter(),
              !unreachable.contains(member),
              member.address().equals(self),
              shards,
              entities));
    }
    return new Snapshot(
        self,
        Optional.ofNullable(cluster.state().getLeader()),
        oldest(cluster),
        members,
        incomplete);
  }

  private static Optional<Address> oldest(Cluster cluster) {
    Member oldest = null;
    for (Member member : cluster.state().getMembers()) {
      if (oldest == null || member.isOlderThan(oldest)) {
        oldest = member;
      }
    }
    return Optional.ofNullable(oldest).map(Member::address);
  }

  /** Asks {@code address} to leave the cluster gracefully (its shards are handed off first). */
  public Outcome leave(Address address) {
    if (!isMember(address)) {
      return Outcome.NO_SUCH_MEMBER;
    }
    Cluster.get(system).manager().tell(Leave.create(address));
    return Outcome.DONE;
  }

  /** Marks {@code address} down: for a member that is gone and will not come back. */
  public Outcome down(Address address) {
    if (!isMember(address)) {
      return Outcome.NO_SUCH_MEMBER;
    }
    Cluster.get(system).manager().tell(new Down(address));
    return Outcome.DONE;
  }

  private boolean isMember(Address address) {
    for (Member member : Cluster.get(system).state().getMembers()) {
      if (member.address().equals(address)) {
        return true;
      }
    }
    return false;
  }
}
