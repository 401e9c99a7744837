package io.meridian.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * Readiness check (Pekko Management {@code readiness-checks}) that fails as soon as the node's
 * CoordinatedShutdown has begun, e.g. on SIGTERM: membership is still {@code Up} while the node
 * unbinds its port and drains requests, but it should get no new traffic from then on.
 */
public final class NotShuttingDownCheck implements Supplier<CompletionStage<Boolean>> {

  private final CoordinatedShutdown shutdown;

  /** Instantiated by Pekko Management with the node's actor system. */
  public NotShuttingDownCheck(ActorSystem system) {
    this.shutdown = CoordinatedShutdown.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(shutdown.getShutdownReason().isEmpty());
  }
}
