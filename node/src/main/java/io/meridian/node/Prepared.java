package io.meridian.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A value made asynchronously at first use (prepared statements, after creating their table) and
 * kept once made; if making it failed (a schema change that timed out, Cassandra not yet up), the
 * next use tries again instead of failing for good. Used by the chunk store and the snapshot store
 * for their statements.
 */
public final class Prepared<T> {

  private final Supplier<? extends CompletionStage<T>> make;
  private final AtomicReference<CompletableFuture<T>> current = new AtomicReference<>();

  public Prepared(Supplier<? extends CompletionStage<T>> make) {
    this.make = make;
  }

  /** The value, made now if it was never made or making it failed. */
  public CompletionStage<T> get() {
    CompletableFuture<T> seen = current.get();
    if (seen != null && !seen.isCompletedExceptionally()) {
      return seen;
    }
    CompletableFuture<T> next = new CompletableFuture<>();
    if (!current.compareAndSet(seen, next)) {
      // Another caller started making it in the meantime.
      return get();
    }
    CompletionStage<T> made;
    try {
      made = make.get();
    } catch (RuntimeException e) {
      made = CompletableFuture.failedFuture(e);
    }
    made.whenComplete(
        (value, error) -> {
          if (error == null) {
            next.complete(value);
          } else {
            next.completeExceptionally(
                error instanceof CompletionException wrapped && wrapped.getCause() != null
                    ? wrapped.getCause()
                    : error);
          }
        });
    return next;
  }
}
