package io.meridian.node;

import java.util.concurrent.ForkJoinPool;

/**
 * Keeps {@link java.util.concurrent.CompletableFuture}'s default executor a pool on small machines.
 *
 * <p>Pekko's {@code ask} returns a Scala future converted to a {@code CompletableFuture} whose
 * non-async callbacks ({@code thenApply}, {@code whenComplete}, …) run asynchronously on the
 * default executor, {@link ForkJoinPool#commonPool()}. With fewer than 3 processors the common
 * pool's parallelism is 1, and {@code CompletableFuture} then runs every such callback on a <em>new
 * thread</em>: on a 2-core machine a node under load started ~430 threads a second and spent much
 * of its CPU on it (issue 8's ingest profile). A common pool of at least 2 threads avoids that.
 */
public final class CommonPool {

  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /**
   * Sets the common pool's parallelism to at least 2 unless configured; effective only before the
   * pool is first used, so call it first thing in {@code main}.
   */
  public static void ensureParallelism() {
    if (System.getProperty(PARALLELISM) == null) {
      System.setProperty(
          PARALLELISM, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }

  /** Whether {@code CompletableFuture} callbacks run on a pool rather than a thread each. */
  public static boolean pooled() {
    return ForkJoinPool.getCommonPoolParallelism() > 1;
  }
}
