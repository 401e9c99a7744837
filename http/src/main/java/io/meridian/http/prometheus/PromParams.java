package io.meridian.http.prometheus;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of one Prometheus API request (form fields of a POST first, then the URL's query,
 * as Go's {@code r.Form}), with Prometheus' parsing of timestamps and durations and its messages.
 */
final class PromParams {

  /** Prometheus' duration syntax: units from years to milliseconds, largest first. */
  private static final Pattern DURATION =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");

  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");

  private static final long[] UNIT_MS = {
    365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1
  };

  private final Map<String, List<String>> values;

  PromParams(Map<String, List<String>> values) {
    this.values = Map.copyOf(values);
  }

  /** The first value of {@code name}, or "" (Go's {@code FormValue}). */
  String get(String name) {
    List<String> all = values.get(name);
    return all == null || all.isEmpty() ? "" : all.get(0);
  }

  boolean has(String name) {
    return !get(name).isEmpty();
  }

  /** Every value of {@code name}, e.g. {@code match[]}. */
  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** A timestamp parameter in ms, or {@code otherwise} when absent. */
  long time(String name, long otherwise) {
    String text = get(name);
    return text.isEmpty() ? otherwise : time(name, text);
  }

  /** A required timestamp parameter in ms: Unix seconds (with a fraction) or RFC 3339. */
  long requiredTime(String name) {
    return time(name, get(name));
  }

  private static long time(String name, String text) {
    try {
      // Seconds with at most millisecond precision, as Prometheus rounds the fraction.
      return new BigDecimal(text)
          .movePointRight(3)
          .setScale(0, java.math.RoundingMode.HALF_EVEN)
          .longValueExact();
    } catch (NumberFormatException | ArithmeticException notANumber) {
      try {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw PromApiException.invalidParam(
            name, "cannot parse \"" + text + "\" to a valid timestamp");
      }
    }
  }

  /** A duration parameter in ms: float seconds or a Prometheus duration ({@code 1m30s}). */
  long duration(String name) {
    String text = get(name);
    Matcher m = DURATION.matcher(text);
    if (!text.isEmpty() && m.matches()) {
      long ms = 0;
      for (int unit = 0; unit < UNIT_MS.length; unit++) {
        if (m.group(unit + 1) != null) {
          ms += Long.parseLong(m.group(unit + 1)) * UNIT_MS[unit];
        }
      }
      return ms;
    }
    // Java would also read "2d" or "2f" as a number; Go's ParseFloat does not.
    if (text.isEmpty() || !FLOAT.matcher(text).matches()) {
      throw PromApiException.invalidParam(
          name, "cannot parse \"" + text + "\" to a valid duration");
    }
    double ms = Double.parseDouble(text) * 1000;
    if (Double.isNaN(ms) || ms >= 0x1p63 || ms < -0x1p63) {
      throw PromApiException.invalidParam(
          name, "cannot parse \"" + text + "\" to a valid duration. It overflows int64");
    }
    return (long) ms;
  }

  /** An optional duration parameter, or null when absent. */
  Duration optionalDuration(String name) {
    return has(name) ? Duration.ofMillis(duration(name)) : null;
  }

  /**
   * A positive duration parameter, or null when absent. (Prometheus would run a query with {@code
   * timeout=0} or a negative one and answer 503 at once; it can only be a client's mistake.)
   */
  Duration optionalPositiveDuration(String name) {
    Duration duration = optionalDuration(name);
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      throw PromApiException.invalidParam(name, "\"" + get(name) + "\" is not a positive duration");
    }
    return duration;
  }
}
