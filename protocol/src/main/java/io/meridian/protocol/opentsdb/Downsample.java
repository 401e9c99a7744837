package io.meridian.protocol.opentsdb;

import io.meridian.protocol.CborSerializable;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed OpenTSDB downsampling specifier such as {@code 1m-avg}, {@code 1h-max-zero}, {@code
 * 0all-sum} or {@code 1dc-sum} (calendar aligned).
 *
 * @param intervalMs the bucket width in milliseconds; 0 means "all": one bucket over the whole
 *     query range
 * @param aggregator the name of the function merging the values of a bucket (one of {@link
 *     QueryParser#AGGREGATORS} except {@code none})
 * @param fill what to emit for empty buckets; never null
 * @param calendar whether buckets follow calendar boundaries in {@link #timezone} (OpenTSDB 2.3
 *     {@code c} suffix or {@code useCalendar}) instead of multiples of the interval since the epoch
 * @param interval the interval as written, without the calendar {@code c}, e.g. {@code 1n} or
 *     {@code 0all}; calendar bucketing needs the unit, which {@link #intervalMs} loses
 * @param timezone the time zone id for calendar buckets; null means UTC
 */
public record Downsample(
    long intervalMs,
    String aggregator,
    FillPolicy fill,
    boolean calendar,
    String interval,
    String timezone)
    implements CborSerializable {

  public Downsample {
    Objects.requireNonNull(aggregator, "aggregator");
    if (intervalMs < 0) {
      throw new IllegalArgumentException("negative downsampling interval: " + intervalMs);
    }
    fill = fill == null ? FillPolicy.NONE : fill;
    if (interval == null || interval.isEmpty()) {
      interval = intervalMs == 0 ? "0all" : intervalMs + "ms";
    }
  }

  /** A plain (epoch-aligned, UTC) downsampler. */
  public static Downsample of(long intervalMs, String aggregator, FillPolicy fill) {
    return new Downsample(intervalMs, aggregator, fill, false, null, null);
  }

  /** Parses a specifier that is not calendar based unless it carries the {@code c} suffix. */
  public static Downsample parse(String spec) {
    return parse(spec, false, null);
  }

  /**
   * Parses {@code <interval>[c]-<function>[-<fill policy>]}.
   *
   * @param spec the specifier, e.g. {@code 30s-count-nan}
   * @param useCalendar whether to align buckets on calendar boundaries even without the {@code c}
   *     suffix (the JSON {@code useCalendar} flag)
   * @param timezone the query's time zone for calendar buckets, null for UTC
   * @throws BadQueryException if the specifier is malformed
   */
  public static Downsample parse(String spec, boolean useCalendar, String timezone) {
    if (spec == null) {
      throw new BadQueryException("Downsampling specifier cannot be null");
    }
    String[] parts = spec.split("-");
    if (parts.length < 2) {
      throw new BadQueryException(
          "Invalid downsampling specifier '"
              + spec
              + "': must provide at least interval and function");
    }
    if (parts.length > 3) {
      throw new BadQueryException(
          "Invalid downsampling specifier '"
              + spec
              + "': must consist of interval, function, and optional fill policy");
    }

    String intervalText = parts[0].toLowerCase(Locale.ROOT);
    long intervalMs;
    boolean calendar = useCalendar;
    if (intervalText.endsWith("all")) {
      String amount = intervalText.substring(0, intervalText.length() - 3);
      if (!amount.chars().allMatch(Character::isDigit)) {
        throw new BadQueryException(
            "Invalid downsampling specifier '" + spec + "': invalid interval " + parts[0]);
      }
      intervalMs = 0;
      // A single bucket has no boundaries to align.
      calendar = false;
    } else {
      if (intervalText.endsWith("c")) {
        calendar = true;
        intervalText = intervalText.substring(0, intervalText.length() - 1);
      }
      try {
        intervalMs = TimeParser.parseDuration(intervalText);
      } catch (BadQueryException e) {
        throw new BadQueryException(
            "Invalid downsampling specifier '" + spec + "': " + e.getMessage(), e);
      }
    }

    String function = parts[1];
    if (!QueryParser.AGGREGATORS.contains(function)) {
      throw new BadQueryException("No such downsampling function: " + function);
    }
    if (function.equals("none")) {
      throw new BadQueryException("cannot use the NONE aggregator for downsampling");
    }

    FillPolicy fill = FillPolicy.NONE;
    if (parts.length == 3) {
      fill = FillPolicy.fromId(parts[2]);
      if (fill == null) {
        StringBuilder message =
            new StringBuilder("No such fill policy: '")
                .append(parts[2])
                .append("': must be one of:");
        for (FillPolicy policy : FillPolicy.values()) {
          message.append(' ').append(policy.id());
        }
        throw new BadQueryException(message.toString());
      }
    }
    if (calendar) {
      // Fail at parse time rather than at evaluation time on a bad zone.
      TimeParser.zone(timezone);
    }
    return new Downsample(intervalMs, function, fill, calendar, intervalText, timezone);
  }

  /** Whether this is an {@code all} downsampler: one bucket spanning the query range. */
  public boolean coversWholeRange() {
    return intervalMs == 0;
  }

  /** The number in {@link #interval}, e.g. 15 for {@code 15m}; 0 for {@code all}. */
  public int intervalAmount() {
    if (coversWholeRange()) {
      return 0;
    }
    int i = 0;
    while (i < interval.length() && Character.isDigit(interval.charAt(i))) {
      i++;
    }
    return Integer.parseInt(interval.substring(0, i));
  }

  /** The unit of {@link #interval}: ms, s, m, h, d, w, n or y; {@code all} for all. */
  public String intervalUnit() {
    if (coversWholeRange()) {
      return "all";
    }
    int i = 0;
    while (i < interval.length() && Character.isDigit(interval.charAt(i))) {
      i++;
    }
    return interval.substring(i).toLowerCase(Locale.ROOT);
  }

  /** The specifier in OpenTSDB syntax, e.g. {@code 1dc-sum-nan}; parses back to this value. */
  public String spec() {
    StringBuilder sb = new StringBuilder(interval);
    if (calendar && !coversWholeRange()) {
      sb.append('c');
    }
    sb.append('-').append(aggregator);
    if (fill != FillPolicy.NONE) {
      sb.append('-').append(fill.id());
    }
    return sb.toString();
  }
}
