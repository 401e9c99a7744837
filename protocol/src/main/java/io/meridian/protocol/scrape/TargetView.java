package io.meridian.protocol.scrape;

/**
 * A target as the API shows it: the target, its server's name and address (null if the server is no
 * longer registered) and its last scrape's health (null before its first scrape).
 */
public record TargetView(Target target, String hostNm, String svrIp, TargetHealth health) {}
