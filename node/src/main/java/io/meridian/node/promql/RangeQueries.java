package io.meridian.node.promql;

/**
 * Checks the parameters of a range query as Prometheus' HTTP API does before evaluating it; the API
 * calls it so that the messages match Prometheus'.
 */
public final class RangeQueries {

  /** Prometheus' cap on the points of one series in a range query. */
  public static final long MAX_POINTS_PER_SERIES = 11_000;

  private RangeQueries() {}

  /**
   * Throws {@link PromQlException} ({@code bad_data}) when the step is not positive or the query
   * would have more than 11,000 points per series.
   */
  public static void checkResolution(long startMs, long endMs, long stepMs) {
    if (stepMs <= 0) {
      throw new PromQlException(
          PromQlException.Kind.BAD_DATA,
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if ((endMs - startMs) / stepMs > MAX_POINTS_PER_SERIES) {
      throw new PromQlException(
          PromQlException.Kind.BAD_DATA,
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
  }
}
