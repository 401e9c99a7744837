package io.meridian.node.query;

import io.meridian.protocol.opentsdb.Downsample;
import io.meridian.protocol.opentsdb.TimeParser;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * The downsampling bucket boundaries of a query: which bucket a timestamp falls in and where the
 * next bucket starts. Buckets are half-open, {@code [start, next(start))}, and are named by their
 * start.
 */
abstract class BucketGrid {

  /** The start of the bucket containing {@code ts}. */
  abstract long floor(long ts);

  /** The start of the bucket after the one starting at {@code bucketStart}. */
  abstract long next(long bucketStart);

  /** The start of the first bucket that starts at or after {@code ts}. */
  final long ceil(long ts) {
    long floor = floor(ts);
    return floor == ts ? ts : next(floor);
  }

  /**
   * The grid of a (non-"all") downsampler.
   *
   * @param ds the downsampler
   * @param startMs the query start, which anchors calendar grids
   */
  static BucketGrid of(Downsample ds, long startMs) {
    if (ds.coversWholeRange()) {
      throw new IllegalArgumentException("an all downsampler has no grid");
    }
    if (!ds.calendar()) {
      return new EpochGrid(ds.intervalMs());
    }
    return new CalendarGrid(
        ds.intervalAmount(), ds.intervalUnit(), TimeParser.zone(ds.timezone()), startMs);
  }

  /** Multiples of the interval since the Unix epoch, OpenTSDB's {@code ts - ts % interval}. */
  static final class EpochGrid extends BucketGrid {
    private final long intervalMs;

    EpochGrid(long intervalMs) {
      this.intervalMs = intervalMs;
    }

    @Override
    long floor(long ts) {
      return ts - Math.floorMod(ts, intervalMs);
    }

    @Override
    long next(long bucketStart) {
      return bucketStart + intervalMs;
    }
  }

  /**
   * Calendar buckets in a time zone (OpenTSDB 2.3 calendar downsampling): {@code amount} units from
   * an anchor that OpenTSDB's {@code DateTime.previousInterval} picks from the query start. When
   * the amount divides the next larger unit the anchor is the start of that unit (e.g. the hour for
   * {@code 15mc}, the day for {@code 6hc}), otherwise a coarser boundary (the day for {@code 7mc},
   * the month for {@code 5hc}, the year for {@code 3dc}); months and years count from January 1st
   * and weeks start on Sunday. Hours and smaller units are fixed durations; days, weeks, months and
   * years follow the zone's calendar, including daylight saving shifts.
   */
  static final class CalendarGrid extends BucketGrid {
    private final ZoneId zone;
    private final ChronoUnit unit;
    private final long step;
    private final ZonedDateTime anchor;
    private final long anchorMs;

    CalendarGrid(int amount, String unitName, ZoneId zone, long startMs) {
      this.zone = zone;
      ZonedDateTime start = Instant.ofEpochMilli(startMs).atZone(zone);
      LocalDate day = start.toLocalDate();
      LocalDateTime anchorTime;
      switch (unitName) {
        case "ms":
          unit = ChronoUnit.MILLIS;
          step = amount;
          anchorTime =
              start
                  .toLocalDateTime()
                  .truncatedTo(1000 % amount == 0 ? ChronoUnit.SECONDS : ChronoUnit.MINUTES);
          break;
        case "s":
          unit = ChronoUnit.SECONDS;
          step = amount;
          anchorTime =
              start
                  .toLocalDateTime()
                  .truncatedTo(60 % amount == 0 ? ChronoUnit.MINUTES : ChronoUnit.HOURS);
          break;
        case "m":
          unit = ChronoUnit.MINUTES;
          step = amount;
          anchorTime =
              start
                  .toLocalDateTime()
                  .truncatedTo(60 % amount == 0 ? ChronoUnit.HOURS : ChronoUnit.DAYS);
          break;
        case "h":
          unit = ChronoUnit.HOURS;
          step = amount;
          anchorTime = (24 % amount == 0 ? day : day.withDayOfMonth(1)).atStartOfDay();
          break;
        case "d":
          unit = ChronoUnit.DAYS;
          step = amount;
          anchorTime = (amount == 1 ? day : day.withDayOfYear(1)).atStartOfDay();
          break;
        case "w":
          unit = ChronoUnit.DAYS;
          step = 7L * amount;
          LocalDate weekBase = amount <= 2 ? day : day.withDayOfYear(1);
          anchorTime =
              weekBase.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).atStartOfDay();
          break;
        case "n":
          unit = ChronoUnit.MONTHS;
          step = amount;
          anchorTime = day.withDayOfYear(1).atStartOfDay();
          break;
        case "y":
          unit = ChronoUnit.YEARS;
          step = amount;
          anchorTime = day.withDayOfYear(1).atStartOfDay();
          break;
        default:
          throw new IllegalArgumentException("Unrecognized unit type: " + unitName);
      }
      this.anchor = anchorTime.atZone(zone);
      this.anchorMs = anchor.toInstant().toEpochMilli();
    }

    @Override
    long floor(long ts) {
      if (unit.getDuration().toMillis() <= ChronoUnit.HOURS.getDuration().toMillis()) {
        long stepMs = step * unit.getDuration().toMillis();
        return anchorMs + Math.floorDiv(ts - anchorMs, stepMs) * stepMs;
      }
      ZonedDateTime time = Instant.ofEpochMilli(ts).atZone(zone);
      long units;
      switch (unit) {
        case DAYS:
          units = ChronoUnit.DAYS.between(anchor.toLocalDate(), time.toLocalDate());
          break;
        case MONTHS:
          units =
              (time.getYear() - anchor.getYear()) * 12L
                  + time.getMonthValue()
                  - anchor.getMonthValue();
          break;
        case YEARS:
          units = time.getYear() - anchor.getYear();
          break;
        default:
          throw new IllegalStateException(unit.toString());
      }
      long candidate = at(Math.floorDiv(units, step) * step);
      // A zone shift may put the start of a day after ts; step back then.
      return candidate > ts ? at((Math.floorDiv(units, step) - 1) * step) : candidate;
    }

    @Override
    long next(long bucketStart) {
      if (unit.getDuration().toMillis() <= ChronoUnit.HOURS.getDuration().toMillis()) {
        return bucketStart + step * unit.getDuration().toMillis();
      }
      LocalDate date = Instant.ofEpochMilli(bucketStart).atZone(zone).toLocalDate();
      return date.plus(step, unit).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The instant {@code units} calendar units after the anchor. */
    private long at(long units) {
      return anchor.toLocalDate().plus(units, unit).atStartOfDay(zone).toInstant().toEpochMilli();
    }
  }
}
