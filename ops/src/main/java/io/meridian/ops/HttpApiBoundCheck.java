package io.meridian.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Readiness check (Pekko Management {@code readiness-checks}) that fails until the node's HTTP API
 * is listening. Management starts first, so that {@code /alive} answers while the node joins; the
 * other checks (membership Up, sharding, Cassandra) can all pass a moment before the API's port is
 * bound, and a load balancer or Kubernetes would then send requests to a closed port.
 */
public final class HttpApiBoundCheck implements Supplier<CompletionStage<Boolean>> {

  private final Bound bound;

  /** Instantiated by Pekko Management with the node's actor system. */
  public HttpApiBoundCheck(ActorSystem system) {
    this.bound = Bound.ID.get(system);
  }

  /** Records that {@code system}'s HTTP API is listening. */
  public static void markBound(ActorSystem system) {
    Bound.ID.get(system).bound.set(true);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(bound.bound.get());
  }

  /** Whether the actor system's HTTP API is listening: one flag per actor system. */
  static final class Bound implements Extension {
    static final Id ID = new Id();

    private final AtomicBoolean bound = new AtomicBoolean();

    static final class Id extends AbstractExtensionId<Bound> {
      @Override
      public Bound createExtension(ExtendedActorSystem system) {
        return new Bound();
      }
    }
  }
}
