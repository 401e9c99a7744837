package io.meridian.node;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks with at most {@code max} running at once, the rest waiting in arrival
 * order: a node-wide bound on Cassandra requests. The chunk store bounds each read and write on its
 * own, but a query reads the chunks of every group of a tenant at once, and the snapshot store's
 * saves and loads bound their own parts while all of a node's groups may snapshot or recover at
 * once; the driver fails requests beyond its connections' capacity instead of queueing them.
 */
public final class AsyncLimiter {

  private final int max;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  public AsyncLimiter(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
  }

  /** Runs {@code task} once fewer than {@code max} are running; completes as it does. */
  public <T> CompletionStage<T> submit(Supplier<? extends CompletionStage<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start =
        () -> {
          CompletionStage<T> started;
          try {
            started = task.get();
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

  /** Tasks running now. */
  public synchronized int running() {
    return running;
  }
}
