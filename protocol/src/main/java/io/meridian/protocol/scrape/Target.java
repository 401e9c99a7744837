package io.meridian.protocol.scrape;

import io.meridian.protocol.CborSerializable;

/**
 * A scrape target of a job: port {@code port} of a server known to the project ({@code hostId}),
 * scraped at {@code http://<svrIp>:<port><metricsPath>}.
 *
 * @param lstModifier who created the target (a {@code memberId}), or null
 * @param lstModMs when the target was created, epoch milliseconds
 */
public record Target(
    String targetId,
    String jobId,
    String hostId,
    int port,
    String description,
    String lstModifier,
    long lstModMs)
    implements CborSerializable {}
