package io.meridian.ops.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times given on the command line: {@code now}, a relative time as OpenTSDB writes it ({@code
 * 1h-ago}) or with a minus ({@code -15m}), Unix seconds or milliseconds, or RFC 3339 ({@code
 * 2026-11-27T18:00:00Z}). Durations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code
 * 1d}, {@code 1w}.
 */
final class Times {

  private static final Pattern DURATION =
      Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)", Pattern.CASE_INSENSITIVE);
  private static final Pattern AGO = Pattern.compile("(\\d+(?:ms|s|m|h|d|w|y))-ago");
  private static final Pattern EPOCH = Pattern.compile("\\d{1,13}(\\.\\d+)?");

  private Times() {}

  static Instant parse(String text, Instant now) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("now")) {
      return now;
    }
    Matcher ago = AGO.matcher(value);
    if (ago.matches()) {
      return now.minus(duration(ago.group(1)));
    }
    if (value.startsWith("-")) {
      return now.minus(duration(value.substring(1)));
    }
    if (EPOCH.matcher(value).matches()) {
      double number = Double.parseDouble(value);
      // As OpenTSDB: up to 10 integer digits are seconds, more are milliseconds.
      long millis = value.split("\\.")[0].length() > 10 ? (long) number : Math.round(number * 1000);
      return Instant.ofEpochMilli(millis);
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new CliException(
          "Not a time: \""
              + text
              + "\" (use now, 1h-ago, -15m, Unix seconds or milliseconds, or"
              + " 2026-11-27T18:00:00Z)");
    }
  }

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new CliException(
          "Not a duration: \"" + text + "\" (use e.g. 500ms, 30s, 5m, 2h, 1d, 1w)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      case "d":
        return Duration.ofDays(n);
      case "w":
        return Duration.ofDays(7 * n);
      default:
        return Duration.ofDays(365 * n);
    }
  }

  /** Unix seconds with up to three decimals, as the Prometheus API takes them. */
  static String promSeconds(Instant instant) {
    long ms = instant.toEpochMilli();
    return ms % 1000 == 0
        ? Long.toString(ms / 1000)
        : String.format(Locale.ROOT, "%d.%03d", Math.floorDiv(ms, 1000), Math.floorMod(ms, 1000));
  }
}
