package io.meridian.http.testing;

import io.meridian.node.logs.LogService;
import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LogService} test double for the HTTP routes: the entries of each tenant in one list,
 * waiting long polls completed by the append that brings them an entry, and a switch that makes
 * every call fail as an unavailable store does.
 */
public final class InMemoryLogService implements LogService {

  private record Waiter(
      String tenant,
      long fromMs,
      long toMs,
      LogFilter filter,
      CompletableFuture<List<LogEntry>> answer) {}

  private final Map<String, List<LogEntry>> entriesByTenant = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile boolean unavailable;
  private volatile RuntimeException failure;

  /** Makes every following call fail with {@link StoreUnavailableException}, or work again. */
  public void unavailable(boolean down) {
    unavailable = down;
  }

  /**
   * Makes every following call fail with {@code failure}, as a bug would (null: work again), so
   * that tests can see how an unexpected failure is answered and logged.
   */
  public void failing(RuntimeException failure) {
    this.failure = failure;
  }

  /** How many long polls are waiting, so tests can wait for a poll to be parked. */
  public synchronized int waiting() {
    waiters.removeIf(w -> w.answer().isDone());
    return waiters.size();
  }

  @Override
  public CompletionStage<Void> append(String tenant, List<LogEntry> entries) {
    if (unavailable || failure != null) {
      return down();
    }
    List<Waiter> answered = new ArrayList<>();
    synchronized (this) {
      List<LogEntry> stored = entriesByTenant.computeIfAbsent(tenant, t -> new ArrayList<>());
      stored.addAll(entries);
      // Stable: entries of the same millisecond stay in the order they came.
      stored.sort(Comparator.comparingLong(LogEntry::timestampMs));
      for (Waiter waiter : waiters) {
        if (!in(waiter.tenant(), waiter.fromMs(), waiter.toMs(), waiter.filter()).isEmpty()) {
          answered.add(waiter);
        }
      }
      waiters.removeAll(answered);
    }
    for (Waiter waiter : answered) {
      waiter
          .answer()
          .complete(in(waiter.tenant(), waiter.fromMs(), waiter.toMs(), waiter.filter()));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<LogEntry>> excerpt(
      String tenant, long fromMs, long toMs, LogFilter filter) {
    if (unavailable || failure != null) {
      return down();
    }
    return CompletableFuture.completedFuture(in(tenant, fromMs, toMs, filter));
  }

  @Override
  public synchronized CompletionStage<List<LogEntry>> awaitExcerpt(
      String tenant, long fromMs, long toMs, LogFilter filter, Duration maxWait) {
    if (unavailable || failure != null) {
      return down();
    }
    List<LogEntry> found = in(tenant, fromMs, toMs, filter);
    if (!found.isEmpty()) {
      return CompletableFuture.completedFuture(found);
    }
    CompletableFuture<List<LogEntry>> answer = new CompletableFuture<>();
    waiters.add(new Waiter(tenant, fromMs, toMs, filter, answer));
    return answer.completeOnTimeout(List.of(), maxWait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized CompletionStage<Void> delete(String tenant, long fromMs, long toMs) {
    if (unavailable || failure != null) {
      return down();
    }
    entriesByTenant
        .getOrDefault(tenant, new ArrayList<>())
        .removeIf(e -> e.timestampMs() > fromMs && e.timestampMs() <= toMs);
    return CompletableFuture.completedFuture(null);
  }

  private synchronized List<LogEntry> in(String tenant, long fromMs, long toMs, LogFilter filter) {
    return entriesByTenant.getOrDefault(tenant, List.of()).stream()
        .filter(e -> e.timestampMs() > fromMs && e.timestampMs() <= toMs && filter.accepts(e))
        .toList();
  }

  private <T> CompletionStage<T> down() {
    RuntimeException bug = failure;
    return CompletableFuture.failedFuture(
        bug != null
            ? bug
            : new StoreUnavailableException("log store down (test)", new RuntimeException("down")));
  }
}
