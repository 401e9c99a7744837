package io.meridian.node.logs;

import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The log streams of every tenant, as the log-excerpt API uses them. Ranges are {@code (fromMs,
 * toMs]}: an entry at exactly {@code fromMs} is excluded, one at {@code toMs} included. Failures of
 * the store surface as {@code StoreUnavailableException} (503 with Retry-After).
 */
public interface LogService {

  /** Persists the entries; completes once every one is durable. */
  CompletionStage<Void> append(String tenant, List<LogEntry> entries);

  /** The entries in {@code (fromMs, toMs]} that pass the filter, sorted by timestamp. */
  CompletionStage<List<LogEntry>> excerpt(String tenant, long fromMs, long toMs, LogFilter filter);

  /**
   * Like {@link #excerpt}, but when the range holds no matching entry, waits up to {@code maxWait}
   * for one to be appended (on any node of the cluster) and answers it; answers an empty list when
   * none came in time.
   */
  CompletionStage<List<LogEntry>> awaitExcerpt(
      String tenant, long fromMs, long toMs, LogFilter filter, Duration maxWait);

  /** Deletes every entry in {@code (fromMs, toMs]} durably. */
  CompletionStage<Void> delete(String tenant, long fromMs, long toMs);
}
