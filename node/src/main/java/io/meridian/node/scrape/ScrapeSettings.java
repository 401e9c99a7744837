package io.meridian.node.scrape;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Settings of OpenMetrics jobs, targets and the scraper, read from {@code meridian.scrape}.
 *
 * @param defaultInterval a job's scrape interval when it does not set one
 * @param defaultTimeout a job's scrape timeout when it does not set one (capped at its interval)
 * @param minInterval the shortest interval a job may set
 * @param maxInterval the longest interval a job may set
 * @param askTimeout how long an API request waits for a project's catalog before answering 503
 * @param maxBodyBytes a scrape reading more than this (after gzip) fails
 * @param sampleLimit a scrape with more samples than this fails and stores nothing
 * @param ensureInterval how often a catalog makes sure each of its targets has a running scraper
 * @param specRefresh how often a scraper re-reads its target's job and server
 * @param region this installation's region ({@code kr}, {@code kr2}, {@code us}, {@code jp}); a
 *     request whose {@code X-SYSMON-REGION} names another is refused; empty accepts any
 * @param timeZone the zone of the API's {@code lstModYmdt} timestamps
 * @param maxJobsPerProject how many jobs a project may have
 * @param maxTargetsPerProject how many targets (over all its jobs) a project may have
 * @param maxServersPerProject how many servers a project may register
 */
public record ScrapeSettings(
    Duration defaultInterval,
    Duration defaultTimeout,
    Duration minInterval,
    Duration maxInterval,
    Duration askTimeout,
    long maxBodyBytes,
    int sampleLimit,
    Duration ensureInterval,
    Duration specRefresh,
    String region,
    ZoneId timeZone,
    int maxJobsPerProject,
    int maxTargetsPerProject,
    int maxServersPerProject) {

  public ScrapeSettings {
    if (minInterval.toSeconds() < 1 || maxInterval.compareTo(minInterval) < 0) {
      throw new IllegalArgumentException(
          "meridian.scrape.min-interval must be at least 1s and at most max-interval");
    }
    if (defaultInterval.compareTo(minInterval) < 0 || defaultInterval.compareTo(maxInterval) > 0) {
      throw new IllegalArgumentException(
          "meridian.scrape.default-interval must lie within min-interval and max-interval");
    }
    if (defaultTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("meridian.scrape.default-timeout must be at least 1s");
    }
    if (maxBodyBytes < 1 || sampleLimit < 1) {
      throw new IllegalArgumentException(
          "meridian.scrape.max-body-bytes and sample-limit must be positive");
    }
  }

  public static ScrapeSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.scrape");
    return new ScrapeSettings(
        c.getDuration("default-interval"),
        c.getDuration("default-timeout"),
        c.getDuration("min-interval"),
        c.getDuration("max-interval"),
        c.getDuration("ask-timeout"),
        c.getBytes("max-body-bytes"),
        c.getInt("sample-limit"),
        c.getDuration("ensure-interval"),
        c.getDuration("spec-refresh"),
        c.getString("region"),
        ZoneId.of(c.getString("time-zone")),
        c.getInt("max-jobs-per-project"),
        c.getInt("max-targets-per-project"),
        c.getInt("max-servers-per-project"));
  }
}
