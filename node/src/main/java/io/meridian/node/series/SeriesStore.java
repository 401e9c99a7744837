package io.meridian.node.series;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.TagFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The node's entry to series data: splits a write batch by series group and asks each group to
 * persist its part, and scatters reads to every group of a tenant and gathers their answers. Works
 * the same wherever in the cluster the groups live.
 */
public final class SeriesStore {

  /** The series a read selected, and whether the metric exists at all for the tenant. */
  public record Selection(boolean metricKnown, List<SeriesSamples> series) {}

  private final ClusterSharding sharding;
  private final int groups;
  private final Duration askTimeout;

  public SeriesStore(ActorSystem<?> system, SeriesSettings settings) {
    this.sharding = ClusterSharding.get(system);
    this.groups = settings.groups();
    this.askTimeout = settings.askTimeout();
  }

  /** The group a series belongs to; stable across nodes and restarts for a fixed group count. */
  public int groupOf(SeriesKey key) {
    return Math.floorMod(key.hashCode(), groups);
  }

  static String entityId(String tenant, int group) {
    return tenant + "-" + group;
  }

  /**
   * Persists a batch. Completes normally once every group acknowledged its part, or exceptionally
   * with {@link StoreUnavailableException} if any group did not; groups that did acknowledge keep
   * their samples, so a retry of the whole batch is safe.
   */
  public CompletionStage<Long> append(String tenant, List<SeriesSamples> batch) {
    Map<Integer, List<SeriesSamples>> byGroup = new HashMap<>();
    for (SeriesSamples series : batch) {
      if (!series.key().tenant().equals(tenant)) {
        throw new IllegalArgumentException(
            "series " + series.key() + " is not of tenant " + tenant);
      }
      byGroup.computeIfAbsent(groupOf(series.key()), g -> new ArrayList<>()).add(series);
    }
    List<CompletableFuture<Long>> acks = new ArrayList<>(byGroup.size());
    byGroup.forEach(
        (group, part) -> {
          EntityRef<SeriesGroup.Command> ref = group(tenant, group);
          acks.add(
              ref.<SeriesGroup.Appended>ask(
                      replyTo -> new SeriesGroup.Append(part, replyTo), askTimeout)
                  .thenApply(SeriesGroup.Appended::samples)
                  .toCompletableFuture());
        });
    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                throw unavailable("write", failure);
              }
              return acks.stream().mapToLong(CompletableFuture::join).sum();
            });
  }

  /** Selects the series of a metric that pass the filters, with samples in the range. */
  public CompletionStage<Selection> select(
      String tenant,
      String metric,
      List<TagFilter> filters,
      boolean explicitTags,
      long startMs,
      long endMs) {
    List<CompletableFuture<SeriesGroup.Selected>> answers = new ArrayList<>(groups);
    for (int group = 0; group < groups; group++) {
      answers.add(
          group(tenant, group)
              .<SeriesGroup.Selected>ask(
                  replyTo ->
                      new SeriesGroup.Select(
                          metric, filters, explicitTags, startMs, endMs, replyTo),
                  askTimeout)
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                throw unavailable("read", failure);
              }
              boolean known = false;
              List<SeriesSamples> series = new ArrayList<>();
              for (CompletableFuture<SeriesGroup.Selected> answer : answers) {
                SeriesGroup.Selected selected = answer.join();
                known |= selected.metricKnown();
                series.addAll(selected.series());
              }
              return new Selection(known, series);
            });
  }

  private EntityRef<SeriesGroup.Command> group(String tenant, int group) {
    return sharding.entityRefFor(SeriesGroup.ENTITY_KEY, entityId(tenant, group));
  }

  private static StoreUnavailableException unavailable(String operation, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return new StoreUnavailableException(
        "Storage did not complete the " + operation + ": " + cause.getMessage(), cause);
  }
}
