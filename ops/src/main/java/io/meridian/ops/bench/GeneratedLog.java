package io.meridian.ops.bench;

/**
 * The log entries {@code meridian bench logs} ingests, generated deterministically from their
 * index: {@code entries} simple-message entries spread evenly over {@code (startMs, endMs]} (entry
 * i at {@code startMs + (i + 1) * span / entries}, the last one at {@code endMs}), from {@code
 * services} services, mostly INFO. Knowing every timestamp lets the benchmark check how many
 * entries each excerpt should return.
 */
public record GeneratedLog(long entries, int services, long startMs, long endMs) {

  private static final String[] ACTIONS = {
    "accepted connection from", "served /v1/things to", "refreshed token for", "closed session of"
  };

  public GeneratedLog {
    if (entries <= 0 || services <= 0 || endMs <= startMs) {
      throw new IllegalArgumentException(
          "need entries > 0, services > 0 and a span > 0: " + entries + ", " + services);
    }
  }

  /** The timestamp of entry {@code i}, in UTC milliseconds. */
  public long timestamp(long i) {
    // (i + 1) * span stays far below Long.MAX_VALUE for any realistic count and span.
    return startMs + (i + 1) * (endMs - startMs) / entries;
  }

  /** Entry {@code i} as one JSON object on one line, with every required attribute. */
  public String line(long i) {
    int service = (int) (i % services);
    int level = level(i);
    StringBuilder line =
        new StringBuilder(180)
            .append("{\"timestamp\":")
            .append(timestamp(i))
            .append(",\"ip\":\"10.0.")
            .append(service / 256)
            .append('.')
            .append(service % 256)
            .append("\",\"pid\":")
            .append(1000 + i % 7)
            .append(",\"service\":\"svc-")
            .append(service)
            .append("\",\"level\":")
            .append(level)
            .append(",\"msg\":\"worker ")
            .append(i % 16)
            .append(' ')
            .append(ACTIONS[(int) (i % ACTIONS.length)])
            .append(" 192.168.")
            .append(i / 256 % 256)
            .append('.')
            .append(i % 256)
            .append(" in ")
            .append(i * 7919 % 500)
            .append(" ms\"");
    if (i % 10 == 0) {
      // Some agents ship attributes of their own; the API keeps them.
      line.append(",\"thread\":\"pool-1-thread-").append(i % 8).append('"');
    }
    return line.append('}').toString();
  }

  /** How many generated entries lie in {@code (fromMs, toMs]}. */
  public long countIn(long fromMs, long toMs) {
    return toMs <= fromMs ? 0 : countAtOrBefore(toMs) - countAtOrBefore(fromMs);
  }

  /** 0 DEBUG 15 %, 1 INFO 70 %, 2 WARN 10 %, 3 ERROR 5 %. */
  private static int level(long i) {
    int slot = (int) (i * 31 % 20);
    return slot < 3 ? 0 : slot < 17 ? 1 : slot < 19 ? 2 : 3;
  }

  /** The number of entries with a timestamp at or before {@code ms}: timestamps never decrease. */
  private long countAtOrBefore(long ms) {
    long low = 0;
    long high = entries;
    while (low < high) {
      long mid = (low + high) >>> 1;
      if (timestamp(mid) <= ms) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
