package io.meridian.node;

import java.time.Duration;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;

/**
 * How every persistent entity meets a failing journal (Cassandra down, circuit breaker open):
 * restart and recover again with backoff from 200 ms to 10 s, so a Cassandra outage costs retries,
 * not a storm of recoveries; requests meanwhile time out and are answered 503.
 */
public final class JournalFailures {

  private JournalFailures() {}

  public static BackoffSupervisorStrategy restartWithBackoff() {
    return SupervisorStrategy.restartWithBackoff(
        Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);
  }
}
