package io.meridian.node.scrape;

import io.meridian.protocol.CborSerializable;

/**
 * A job to create, as the API's POST body gives it; null fields take their defaults ({@code
 * metricsPath} {@code /metrics}, {@code description} empty, interval and timeout from {@code
 * meridian.scrape}).
 */
public record JobSpec(
    String jobName,
    String metricsPath,
    String description,
    Integer scrapeIntervalSec,
    Integer scrapeTimeoutSec)
    implements CborSerializable {}
