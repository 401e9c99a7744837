package io.meridian.node.scrape;

import io.meridian.protocol.scrape.ResultCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks the values of jobs, targets and servers before they reach a catalog, refusing bad ones
 * with {@link ResultCode#BAD_INPUT_VALUE} and a message naming the field. What depends on the
 * catalog's state (names taken, jobs and servers that exist) is the catalog's to check.
 */
final class CatalogInput {

  static final int MAX_NAME = 100;
  static final int MAX_DESCRIPTION = 1000;
  static final int MAX_PATH = 1024;

  /** A DNS name: labels of letters, digits and hyphens. */
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private CatalogInput() {}

  /** The job to create, validated and with defaults applied: every field is set. */
  static JobSpec job(JobSpec spec, ScrapeSettings settings) {
    String name = text("jobName", spec.jobName(), MAX_NAME, true);
    String path = spec.metricsPath() == null ? "/metrics" : metricsPath(spec.metricsPath());
    String description = text("description", spec.description(), MAX_DESCRIPTION, false);
    int interval =
        spec.scrapeIntervalSec() == null
            ? (int) settings.defaultInterval().toSeconds()
            : interval(spec.scrapeIntervalSec(), settings);
    int timeout =
        spec.scrapeTimeoutSec() == null
            ? (int) Math.min(settings.defaultTimeout().toSeconds(), interval)
            : timeout(spec.scrapeTimeoutSec(), interval);
    return new JobSpec(name, path, description == null ? "" : description, interval, timeout);
  }

  /** A change of a job; the timeout is checked against the new interval by the catalog. */
  static JobChange change(JobChange change, ScrapeSettings settings) {
    Integer interval =
        change.scrapeIntervalSec() == null ? null : interval(change.scrapeIntervalSec(), settings);
    Integer timeout =
        change.scrapeTimeoutSec() == null
            ? null
            : timeout(change.scrapeTimeoutSec(), interval == null ? Integer.MAX_VALUE : interval);
    return new JobChange(
        change.metricsPath() == null ? null : metricsPath(change.metricsPath()),
        text("description", change.description(), MAX_DESCRIPTION, false),
        interval,
        timeout);
  }

  static TargetSpec target(TargetSpec spec) {
    String hostId = text("hostId", spec.hostId(), MAX_NAME, true);
    if (spec.port() < 1 || spec.port() > 65535) {
      throw bad("port must be 1 to 65535: " + spec.port());
    }
    String description = text("description", spec.description(), MAX_DESCRIPTION, false);
    return new TargetSpec(hostId, spec.port(), description == null ? "" : description);
  }

  static ServerSpec server(ServerSpec spec) {
    String name = text("hostNm", spec.hostNm(), MAX_NAME, true);
    String address = text("svrIp", spec.svrIp(), 253, true);
    // A name of digits and dots is meant as an IPv4 address, so it must be a valid one.
    boolean valid =
        address.matches("[0-9.]+")
            ? IPV4.matcher(address).matches()
            : HOST_NAME.matcher(address).matches() || isIpv6(address);
    if (!valid) {
      throw bad("svrIp must be an IPv4 or IPv6 address or a DNS name: \"" + address + "\"");
    }
    return new ServerSpec(name, address, text("instanceId", spec.instanceId(), MAX_NAME, false));
  }

  /**
   * A member id (who makes a change): a UUID; null is refused when {@code required}.
   *
   * @return the UUID in canonical form, or null
   */
  static String memberId(String field, String value, boolean required) {
    if (value == null || value.isEmpty()) {
      if (required) {
        throw bad(field + " is required (a UUID)");
      }
      return null;
    }
    try {
      UUID uuid = UUID.fromString(value);
      if (!uuid.toString().equalsIgnoreCase(value)) {
        throw new IllegalArgumentException();
      }
      return uuid.toString();
    } catch (IllegalArgumentException e) {
      throw bad(field + " must be a UUID: \"" + value + "\"");
    }
  }

  /** An id in a path (job, target, host): any non-empty text of reasonable length. */
  static String id(String field, String value) {
    return text(field, value, MAX_NAME, true);
  }

  private static String metricsPath(String path) {
    if (!path.startsWith("/") || path.length() > MAX_PATH) {
      throw bad("metricsPath must start with \"/\" and have at most " + MAX_PATH + " characters");
    }
    try {
      URI uri = new URI("http://h" + path);
      if (uri.getRawFragment() != null || !uri.getRawPath().startsWith("/")) {
        throw new URISyntaxException(path, "fragment or bad path");
      }
    } catch (URISyntaxException e) {
      throw bad("metricsPath is not a valid URL path: \"" + path + "\"");
    }
    return path;
  }

  private static int interval(int seconds, ScrapeSettings settings) {
    if (seconds < settings.minInterval().toSeconds()
        || seconds > settings.maxInterval().toSeconds()) {
      throw bad(
          "scrapeIntervalSec must be "
              + settings.minInterval().toSeconds()
              + " to "
              + settings.maxInterval().toSeconds()
              + ": "
              + seconds);
    }
    return seconds;
  }

  private static int timeout(int seconds, int interval) {
    if (seconds < 1 || seconds > interval) {
      throw bad("scrapeTimeoutSec must be 1 to scrapeIntervalSec (" + interval + "): " + seconds);
    }
    return seconds;
  }

  private static String text(String field, String value, int max, boolean required) {
    if (value == null) {
      if (required) {
        throw bad(field + " is required");
      }
      return null;
    }
    if (required && value.isBlank()) {
      throw bad(field + " must not be blank");
    }
    if (value.codePointCount(0, value.length()) > max) {
      throw bad(field + " must have at most " + max + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (Character.isISOControl(ch)
          && !(field.equals("description") && (ch == '\n' || ch == '\t'))) {
        throw bad(field + " must not contain control characters");
      }
      if (Character.isSurrogate(ch)
          && !(Character.isHighSurrogate(ch)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(++i)))) {
        throw bad(field + " is not valid UTF-16 text");
      }
    }
    return value;
  }

  private static boolean isIpv6(String address) {
    if (!address.contains(":") || !address.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static ScrapeCatalogException bad(String message) {
    return new ScrapeCatalogException(ResultCode.BAD_INPUT_VALUE, message);
  }
}
