package io.meridian.protocol.scrape;

import io.meridian.protocol.CborSerializable;

/**
 * How the last scrape of a target went, as the API shows it on the target.
 *
 * @param resultCd {@link #OK} or one of the failure codes below
 * @param failReason why the scrape failed, null when it succeeded
 * @param mntrnStatCd {@link #UP} or {@link #DOWN}
 * @param scrapedAtMs when the scrape started, epoch milliseconds
 */
public record TargetHealth(int resultCd, String failReason, String mntrnStatCd, long scrapedAtMs)
    implements CborSerializable {

  public static final int OK = 0;

  /** No connection: refused, unreachable, unknown host. */
  public static final int CONNECTION_FAILED = 1;

  /** The exporter answered with a status other than 200. */
  public static final int HTTP_STATUS = 2;

  /** The scrape did not complete within the job's timeout. */
  public static final int TIMEOUT = 3;

  /** The body is not valid Prometheus text or OpenMetrics text. */
  public static final int PARSE_ERROR = 4;

  /** The body or its samples exceed {@code meridian.scrape.max-body-bytes}/{@code sample-limit}. */
  public static final int LIMIT_EXCEEDED = 5;

  /** The scraped samples could not be stored. */
  public static final int STORE_FAILED = 6;

  public static final String UP = "UP";
  public static final String DOWN = "DOWN";

  public static TargetHealth up(long scrapedAtMs) {
    return new TargetHealth(OK, null, UP, scrapedAtMs);
  }

  public static TargetHealth down(int resultCd, String failReason, long scrapedAtMs) {
    return new TargetHealth(resultCd, failReason, DOWN, scrapedAtMs);
  }

  /** Whether {@code other} tells the same (code, reason, status), whenever it was scraped. */
  public boolean sameAs(TargetHealth other) {
    return other != null
        && resultCd == other.resultCd
        && java.util.Objects.equals(failReason, other.failReason)
        && java.util.Objects.equals(mntrnStatCd, other.mntrnStatCd);
  }
}
