package io.meridian.protocol.promql;

/** The {@code @} modifier: a fixed timestamp, or the query's {@code start()} or {@code end()}. */
public record AtModifier(Kind kind, long timestampMs) {

  /** Which time the modifier names. */
  public enum Kind {
    TIMESTAMP,
    START,
    END
  }

  public static AtModifier at(long timestampMs) {
    return new AtModifier(Kind.TIMESTAMP, timestampMs);
  }

  public static AtModifier start() {
    return new AtModifier(Kind.START, 0);
  }

  public static AtModifier end() {
    return new AtModifier(Kind.END, 0);
  }

  /** The timestamp this modifier pins evaluation to, for a query from start to end. */
  public long resolve(long queryStartMs, long queryEndMs) {
    return switch (kind) {
      case TIMESTAMP -> timestampMs;
      case START -> queryStartMs;
      case END -> queryEndMs;
    };
  }
}
