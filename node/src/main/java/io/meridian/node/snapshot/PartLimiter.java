package io.meridian.node.snapshot;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Bounds the part requests in flight of all saves and loads of one snapshot store (one per node),
 * the rest waiting in arrival order. Each save or load bounds its own requests ({@code
 * parallelism}), but many entities snapshot or recover at once (all series groups of a node while
 * it starts): without a bound in all, their megabyte-sized requests would pile up on Cassandra's
 * native transport, whose bytes in flight per client are limited, until requests time out.
 */
final class PartLimiter {

  private final int max;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  PartLimiter(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
  }

  /** Runs {@code request} once fewer than {@code max} are running; completes as it does. */
  <T> CompletionStage<T> submit(Supplier<? extends CompletionStage<T>> request) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start =
        () -> {
          CompletionStage<T> started;
          try {
            started = request.get();
          } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
          }
          started.whenComplete(
              (value, failure) -> {
                release();
                if (failure != null) {
                  result.completeExceptionally(failure);
                } else {
                  result.complete(value);
                }
              });
        };
    boolean now;
    synchronized (this) {
      now = running < max;
      if (now) {
        running++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return result;
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      next.run();
    }
  }

  /** Requests running now. */
  synchronized int running() {
    return running;
  }

  /** Requests waiting now. */
  synchronized int waiting() {
    return waiting.size();
  }
}
