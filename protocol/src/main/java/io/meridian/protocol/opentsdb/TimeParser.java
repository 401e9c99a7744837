package io.meridian.protocol.opentsdb;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * Parses the time expressions of the OpenTSDB 2.x query API (see OpenTSDB's {@code
 * DateTime.parseDateTimeString} and {@code parseDuration}):
 *
 * <ul>
 *   <li>{@code now};
 *   <li>relative times {@code <amount><unit>-ago}, e.g. {@code 1h-ago}, with the units of {@link
 *       #parseDuration};
 *   <li>Unix timestamps in seconds (up to 10 digits), in milliseconds (more digits) or as {@code
 *       <seconds>.<millis>} with exactly three fraction digits, e.g. {@code 1700000000.123};
 *   <li>absolute dates {@code yyyy/MM/dd-HH:mm:ss}, {@code yyyy/MM/dd HH:mm:ss}, {@code
 *       yyyy/MM/dd-HH:mm}, {@code yyyy/MM/dd HH:mm} and {@code yyyy/MM/dd}, read in the query's
 *       time zone (UTC when none is given).
 * </ul>
 *
 * Unlike OpenTSDB, absolute dates are parsed strictly (no {@code 2024/13/45} roll-over) and the
 * server's default time zone is never used, so results do not depend on the host.
 */
public final class TimeParser {

  private static final long SECOND = 1000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private static final DateTimeFormatter DATE = formatter("uuuu/MM/dd");
  private static final DateTimeFormatter DASH_MINUTES = formatter("uuuu/MM/dd-HH:mm");
  private static final DateTimeFormatter SPACE_MINUTES = formatter("uuuu/MM/dd HH:mm");
  private static final DateTimeFormatter DASH_SECONDS = formatter("uuuu/MM/dd-HH:mm:ss");
  private static final DateTimeFormatter SPACE_SECONDS = formatter("uuuu/MM/dd HH:mm:ss");

  private TimeParser() {}

  private static DateTimeFormatter formatter(String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.ROOT)
        .withResolverStyle(ResolverStyle.STRICT);
  }

  /**
   * Parses a start or end time into Unix epoch milliseconds.
   *
   * @param text the time expression
   * @param timezone a time zone id for absolute dates; null or empty means UTC
   * @param nowMs the current time, used for {@code now} and relative times
   * @throws BadQueryException if the text cannot be parsed or the time zone is unknown
   */
  public static long parse(String text, String timezone, long nowMs) {
    if (text == null || text.trim().isEmpty()) {
      throw new BadQueryException("Invalid time: '" + (text == null ? "" : text) + "'");
    }
    String value = text.trim();
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.equals("now")) {
      return nowMs;
    }
    if (lower.endsWith("-ago")) {
      return nowMs - parseDuration(value.substring(0, value.length() - 4));
    }
    if (value.contains("/") || value.contains(":")) {
      return parseAbsoluteDate(value, zone(timezone));
    }
    return parseUnixTimestamp(value);
  }

  /**
   * Resolves a time zone id as OpenTSDB accepts them (region ids such as {@code Europe/Paris},
   * offsets, and the legacy three-letter ids such as {@code PST}).
   *
   * @param timezone the id; null or empty means UTC
   * @throws BadQueryException if the id is unknown
   */
  public static ZoneId zone(String timezone) {
    if (timezone == null || timezone.isEmpty()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(timezone, ZoneId.SHORT_IDS);
    } catch (DateTimeException e) {
      throw new BadQueryException("Invalid timezone name: " + timezone);
    }
  }

  private static long parseAbsoluteDate(String value, ZoneId zone) {
    boolean dash = value.indexOf('-') >= 0;
    try {
      switch (value.length()) {
        case 10:
          return LocalDate.parse(value, DATE).atStartOfDay(zone).toInstant().toEpochMilli();
        case 16:
          return LocalDateTime.parse(value, dash ? DASH_MINUTES : SPACE_MINUTES)
              .atZone(zone)
              .toInstant()
              .toEpochMilli();
        case 19:
          return LocalDateTime.parse(value, dash ? DASH_SECONDS : SPACE_SECONDS)
              .atZone(zone)
              .toInstant()
              .toEpochMilli();
        default:
          throw new BadQueryException("Invalid absolute date: " + value);
      }
    } catch (DateTimeParseException e) {
      throw new BadQueryException("Invalid date: " + value + ". " + e.getMessage(), e);
    }
  }

  private static long parseUnixTimestamp(String value) {
    String digits = value;
    int dot = value.indexOf('.');
    if (dot >= 0) {
      // OpenTSDB only accepts "<10-digit seconds>.<3-digit millis>".
      if (value.length() != 14 || dot != 10 || value.indexOf('.', dot + 1) >= 0) {
        throw new BadQueryException(
            "Invalid time: "
                + value
                + ". Millisecond timestamps must be in the format <seconds>.<ms> where the"
                + " milliseconds are limited to 3 digits");
      }
      digits = value.substring(0, dot) + value.substring(dot + 1);
    }
    long time;
    try {
      time = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new BadQueryException("Invalid time: " + value + ". " + e.getMessage(), e);
    }
    if (time < 0) {
      throw new BadQueryException(
          "Invalid time: " + value + ". Negative timestamps are not supported.");
    }
    // Same heuristic as OpenTSDB: up to 10 characters is seconds (good until year 2286).
    return value.length() <= 10 ? time * SECOND : time;
  }

  /**
   * Parses a duration such as {@code 10m}, {@code 3h} or {@code 500ms} into milliseconds. Units:
   * {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}, {@code w} (7 days), {@code n} (month,
   * 30 days) and {@code y} (year, 365 days), case-insensitive.
   *
   * @return a strictly positive number of milliseconds
   * @throws BadQueryException if the duration is malformed, zero or too large
   */
  public static long parseDuration(String text) {
    if (text == null || text.isEmpty()) {
      throw new BadQueryException(
          "Invalid duration, must have an integer and unit: " + (text == null ? "" : text));
    }
    int unitStart = 0;
    while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
      unitStart++;
    }
    if (unitStart == text.length()) {
      throw new BadQueryException("Invalid duration, must have an integer and unit: " + text);
    }
    long amount;
    try {
      amount = Long.parseLong(text.substring(0, unitStart));
    } catch (NumberFormatException e) {
      throw new BadQueryException("Invalid duration (number): " + text, e);
    }
    if (amount <= 0) {
      throw new BadQueryException("Zero or negative duration: " + text);
    }
    long multiplier = unitMillis(text.substring(unitStart).toLowerCase(Locale.ROOT));
    if (multiplier < 0) {
      throw new BadQueryException("Invalid duration (suffix): " + text);
    }
    try {
      return Math.multiplyExact(amount, multiplier);
    } catch (ArithmeticException e) {
      throw new BadQueryException("Duration must be < Long.MAX_VALUE ms: " + text, e);
    }
  }

  /** Milliseconds in one {@code unit} (ms, s, m, h, d, w, n, y), or -1 if unknown. */
  static long unitMillis(String unit) {
    switch (unit) {
      case "ms":
        return 1;
      case "s":
        return SECOND;
      case "m":
        return MINUTE;
      case "h":
        return HOUR;
      case "d":
        return DAY;
      case "w":
        return 7 * DAY;
      case "n":
        return 30 * DAY;
      case "y":
        return 365 * DAY;
      default:
        return -1;
    }
  }
}
