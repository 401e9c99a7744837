package io.meridian.node.series;

import java.util.List;

/**
 * A write of which some samples were refused (older than the project's retention, or of new series
 * beyond its series limit) and not stored; the others were stored. Writing the refused samples
 * again is refused again, so callers answer with a client error, not a retry.
 */
public final class SamplesRefusedException extends RuntimeException {

  private final long acknowledged;
  private final List<SeriesStore.Refused> refused;

  public SamplesRefusedException(long acknowledged, List<SeriesStore.Refused> refused) {
    super(describe(acknowledged, refused));
    this.acknowledged = acknowledged;
    this.refused = List.copyOf(refused);
  }

  /** Samples of the write that were stored. */
  public long acknowledged() {
    return acknowledged;
  }

  public List<SeriesStore.Refused> refused() {
    return refused;
  }

  private static String describe(long acknowledged, List<SeriesStore.Refused> refused) {
    long samples = refused.stream().mapToLong(SeriesStore.Refused::samples).sum();
    SeriesStore.Refused first = refused.get(0);
    return samples
        + " samples of "
        + refused.stream().map(SeriesStore.Refused::key).distinct().count()
        + " series were refused ("
        + acknowledged
        + " stored); the first, of "
        + first.key()
        + ": "
        + first.reason();
  }
}
