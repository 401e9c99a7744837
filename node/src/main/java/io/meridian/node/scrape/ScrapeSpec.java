package io.meridian.node.scrape;

import io.meridian.protocol.CborSerializable;

/**
 * Everything a {@link TargetScraper} needs to scrape one target: where, how often, and the {@code
 * job}/{@code instance} labels of what it stores in {@code tenant}.
 *
 * @param url {@code http://<svrIp>:<port><metricsPath>}
 * @param instance the {@code instance} label, {@code <svrIp>:<port>}
 */
public record ScrapeSpec(
    String tenant,
    String targetId,
    String jobId,
    String jobName,
    String url,
    String instance,
    int intervalSec,
    int timeoutSec)
    implements CborSerializable {

  /** The sharding entity id of a target's scraper. */
  public static String entityId(String tenant, String targetId) {
    return tenant + "|" + targetId;
  }
}
