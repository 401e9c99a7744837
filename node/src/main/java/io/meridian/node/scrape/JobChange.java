package io.meridian.node.scrape;

import io.meridian.protocol.CborSerializable;

/** A change of a job (the API's PUT body); null fields keep their value. */
public record JobChange(
    String metricsPath, String description, Integer scrapeIntervalSec, Integer scrapeTimeoutSec)
    implements CborSerializable {}
