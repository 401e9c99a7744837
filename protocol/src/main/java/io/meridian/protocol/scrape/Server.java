package io.meridian.protocol.scrape;

import io.meridian.protocol.CborSerializable;

/**
 * A host known to a project, which targets point at: registered through the API ({@code POST
 * /v1.0/projects/{projectId}/servers}) or the node's configuration ({@code
 * meridian.scrape.servers}).
 *
 * @param instanceId the host's instance (e.g. a cloud VM id), or null
 */
public record Server(
    String hostId, String hostNm, String svrIp, String projectId, String instanceId)
    implements CborSerializable {}
