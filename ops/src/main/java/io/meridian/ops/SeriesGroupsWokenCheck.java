package io.meridian.ops;

import io.meridian.node.series.GroupWarmup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Readiness check (Pekko Management {@code readiness-checks}) that fails until the node has woken
 * the series groups that have a journal ({@link GroupWarmup}), so that a restarted node takes
 * traffic once its groups have recovered rather than answering its first queries with 503 while
 * they do. Passes anyway once the warm-up gave up ({@code meridian.series.warmup-timeout}); never
 * passes when the warm-up found the journal's groups beyond {@code meridian.series.groups} (the
 * node would hide that data).
 */
public final class SeriesGroupsWokenCheck implements Supplier<CompletionStage<Boolean>> {

  private final ActorSystem system;

  /** Instantiated by Pekko Management with the node's actor system. */
  public SeriesGroupsWokenCheck(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(
        GroupWarmup.isDone(system) && GroupWarmup.problem(system).isEmpty());
  }
}
