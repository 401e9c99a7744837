package io.meridian.node.promql;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Sample;
import io.meridian.protocol.promql.Function;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code minute}, {@code hour}, {@code day_of_week}, {@code day_of_month}, {@code day_of_year},
 * {@code days_in_month}, {@code month} and {@code year} of sample values read as Unix seconds in
 * UTC, as Go's {@code time.Unix(int64(v), 0).UTC()}. The proleptic Gregorian calendar is computed
 * from days since the epoch so that any value gives an answer, as in Go.
 */
final class DateFunctions {

  private static final int[] DAYS_BEFORE_MONTH = {
    0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
  };
  private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private DateFunctions() {}

  static boolean isDateFunction(Function function) {
    return switch (function) {
      case MINUTE, HOUR, DAY_OF_WEEK, DAY_OF_MONTH, DAY_OF_YEAR, DAYS_IN_MONTH, MONTH, YEAR -> true;
      default -> false;
    };
  }

  /** Of each sample's value; the result drops {@code __name__}. */
  static InstantVector apply(Function function, InstantVector vector, long timestampMs) {
    List<Sample> out = new ArrayList<>(vector.samples().size());
    for (Sample sample : vector.samples()) {
      out.add(
          new Sample(
              sample.labels().withoutMetricName(),
              timestampMs,
              field(function, toUnixSeconds(sample.value()))));
    }
    return new InstantVector(out);
  }

  /** Without an argument: of the evaluation time. */
  static InstantVector ofTime(Function function, long timestampMs) {
    // Go divides the millisecond timestamp with truncation.
    double value = field(function, timestampMs / 1000L);
    return new InstantVector(List.of(new Sample(Labels.empty(), timestampMs, value)));
  }

  /** Go's {@code int64(v)} on amd64: truncation, and the minimum int64 for NaN or overflow. */
  private static long toUnixSeconds(double v) {
    if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) v;
  }

  static double field(Function function, long unixSeconds) {
    long days = Math.floorDiv(unixSeconds, 86_400L);
    long secondOfDay = Math.floorMod(unixSeconds, 86_400L);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfMarchYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfMarchYear + 2) / 153;
    long day = dayOfMarchYear - (153 * mp + 2) / 5 + 1;
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return switch (function) {
      case MINUTE -> secondOfDay % 3600 / 60;
      case HOUR -> secondOfDay / 3600;
      case DAY_OF_WEEK -> Math.floorMod(days + 4, 7);
      case DAY_OF_MONTH -> day;
      case DAY_OF_YEAR -> DAYS_BEFORE_MONTH[month - 1] + day + (leap && month > 2 ? 1 : 0);
      case DAYS_IN_MONTH -> DAYS_IN_MONTH[month - 1] + (leap && month == 2 ? 1 : 0);
      case MONTH -> month;
      case YEAR -> year;
      default -> throw new IllegalArgumentException(function + " is not a date function");
    };
  }
}
