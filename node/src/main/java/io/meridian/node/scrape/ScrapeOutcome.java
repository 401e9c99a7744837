package io.meridian.node.scrape;

import io.meridian.protocol.exposition.MetricFamily;
import io.meridian.protocol.scrape.TargetHealth;
import java.util.List;

/**
 * What one scrape of a target brought: its families, or why it failed. Both carry when the scrape
 * started (the timestamp of samples that have none) and how long it took, the values of Prometheus'
 * {@code scrape_duration_seconds}.
 */
public sealed interface ScrapeOutcome {

  /** When the scrape started, epoch milliseconds. */
  long startMs();

  /** How long the scrape took, in seconds. */
  double durationSeconds();

  /** The target's health as this scrape shows it (before storing its samples). */
  TargetHealth health();

  /**
   * The body parsed.
   *
   * @param samples how many samples the families hold
   */
  record Scraped(List<MetricFamily> families, int samples, long startMs, double durationSeconds)
      implements ScrapeOutcome {
    public Scraped {
      families = List.copyOf(families);
    }

    @Override
    public TargetHealth health() {
      return TargetHealth.up(startMs);
    }
  }

  /**
   * The scrape failed; nothing of its body is stored.
   *
   * @param resultCd one of the failure codes of {@link TargetHealth}
   * @param failReason why, the same text for the same failure so that the catalog records a change
   *     only when the cause changes
   * @param samples how many samples were read before failing (the sample limit), else 0
   */
  record Failed(int resultCd, String failReason, int samples, long startMs, double durationSeconds)
      implements ScrapeOutcome {
    @Override
    public TargetHealth health() {
      return TargetHealth.down(resultCd, failReason, startMs);
    }
  }
}
