package io.meridian.protocol.scrape;

import io.meridian.protocol.CborSerializable;

/**
 * An OpenMetrics job ("dashboard workspace"): a named group of targets scraped at the same path and
 * interval. {@code jobName} is unique within its project and becomes the {@code job} label of every
 * scraped series.
 *
 * @param scrapeIntervalSec seconds between two scrapes of each target
 * @param scrapeTimeoutSec seconds a scrape may take, at most the interval
 * @param lstModifier who changed the job last (a {@code memberId}), or null
 * @param lstModMs when the job was created or changed last, epoch milliseconds
 */
public record Job(
    String jobId,
    String projectId,
    String jobName,
    String metricsPath,
    String description,
    int scrapeIntervalSec,
    int scrapeTimeoutSec,
    String lstModifier,
    long lstModMs)
    implements CborSerializable {}
