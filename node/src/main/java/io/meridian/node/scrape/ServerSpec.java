package io.meridian.node.scrape;

import io.meridian.protocol.CborSerializable;

/**
 * A server to register: its name, the IP address (or DNS name) targets on it are scraped at, and an
 * optional instance id.
 */
public record ServerSpec(String hostNm, String svrIp, String instanceId)
    implements CborSerializable {}
