package io.meridian.node.scrape;

import io.meridian.protocol.CborSerializable;

/** A target to create (the API's POST body): a registered server's {@code hostId} and a port. */
public record TargetSpec(String hostId, int port, String description) implements CborSerializable {}
