package io.meridian.ops.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits in tests for a condition on a running system (a server answering, data arriving) by polling
 * it, so tests depend on the condition rather than on a guessed sleep.
 */
public final class Await {

  private static final long POLL_MILLIS = 100;

  private Await() {}

  /**
   * Returns once {@code condition} holds, polling it every 100 ms.
   *
   * @param what described in the failure message, e.g. "Prometheus ready"
   * @param state describes the last observed state for the failure message
   * @throws AssertionError if the condition does not hold within {@code timeout}
   */
  public static void until(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Timed out after " + timeout + " waiting for " + what + "; last: " + state.get());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + what, e);
      }
    }
  }
}
