package io.meridian.protocol.opentsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeExpressionParsingTest {

  private static final long NOW = 1_700_000_000_000L;

  @Test
  void nowIsTheCurrentTime() {
    assertThat(TimeParser.parse("now", null, NOW)).isEqualTo(NOW);
    assertThat(TimeParser.parse("NOW", "UTC", NOW)).isEqualTo(NOW);
  }

  @Test
  void relativeTimesSubtractTheDurationFromNow() {
    assertThat(TimeParser.parse("1h-ago", null, NOW)).isEqualTo(NOW - 3_600_000L);
    assertThat(TimeParser.parse("500ms-ago", null, NOW)).isEqualTo(NOW - 500);
    assertThat(TimeParser.parse("30s-ago", null, NOW)).isEqualTo(NOW - 30_000);
    assertThat(TimeParser.parse("5m-ago", null, NOW)).isEqualTo(NOW - 300_000);
    assertThat(TimeParser.parse("2d-ago", null, NOW)).isEqualTo(NOW - 2 * 86_400_000L);
    assertThat(TimeParser.parse("1w-ago", null, NOW)).isEqualTo(NOW - 7 * 86_400_000L);
    assertThat(TimeParser.parse("1n-ago", null, NOW)).isEqualTo(NOW - 30 * 86_400_000L);
    assertThat(TimeParser.parse("1y-ago", null, NOW)).isEqualTo(NOW - 365 * 86_400_000L);
    assertThat(TimeParser.parse("1H-AGO", null, NOW)).isEqualTo(NOW - 3_600_000L);
  }

  @Test
  void tenDigitsOrFewerAreSecondsAndLongerNumbersAreMilliseconds() {
    assertThat(TimeParser.parse("1355961600", null, NOW)).isEqualTo(1_355_961_600_000L);
    assertThat(TimeParser.parse("1355961600000", null, NOW)).isEqualTo(1_355_961_600_000L);
    assertThat(TimeParser.parse("1700000000.123", null, NOW)).isEqualTo(1_700_000_000_123L);
    assertThat(TimeParser.parse("60", null, NOW)).isEqualTo(60_000L);
  }

  @Test
  void absoluteDatesAreReadInUtcByDefault() {
    assertThat(TimeParser.parse("2013/12/20-00:00:00", null, NOW)).isEqualTo(1_387_497_600_000L);
    assertThat(TimeParser.parse("2013/12/20 00:00:00", null, NOW)).isEqualTo(1_387_497_600_000L);
    assertThat(TimeParser.parse("2013/12/20-12:30", null, NOW))
        .isEqualTo(1_387_497_600_000L + 12 * 3_600_000L + 30 * 60_000L);
    assertThat(TimeParser.parse("2013/12/20 12:30", null, NOW))
        .isEqualTo(1_387_497_600_000L + 12 * 3_600_000L + 30 * 60_000L);
    assertThat(TimeParser.parse("2013/12/20", null, NOW)).isEqualTo(1_387_497_600_000L);
    assertThat(TimeParser.parse("2013/12/20-01:02:03", null, NOW))
        .isEqualTo(1_387_497_600_000L + 3_723_000L);
  }

  @Test
  void absoluteDatesHonourTheTimezone() {
    // Tokyo is UTC+9 all year.
    assertThat(TimeParser.parse("2013/12/20-09:00:00", "Asia/Tokyo", NOW))
        .isEqualTo(1_387_497_600_000L);
    assertThat(TimeParser.parse("2013/12/20", "Asia/Tokyo", NOW))
        .isEqualTo(1_387_497_600_000L - 9 * 3_600_000L);
  }

  @Test
  void malformedTimesAreRejectedWithOpenTsdbMessages() {
    assertThatThrownBy(() -> TimeParser.parse("2013/12/20-00", null, NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Invalid absolute date: 2013/12/20-00");
    assertThatThrownBy(() -> TimeParser.parse("2013/13/45", null, NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessageStartingWith("Invalid date: 2013/13/45.");
    assertThatThrownBy(() -> TimeParser.parse("yesterday", null, NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessageStartingWith("Invalid time: yesterday.");
    assertThatThrownBy(() -> TimeParser.parse("1700000000.5", null, NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining("Millisecond timestamps must be in the format <seconds>.<ms>");
    assertThatThrownBy(() -> TimeParser.parse("-5", null, NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Invalid time: -5. Negative timestamps are not supported.");
    assertThatThrownBy(() -> TimeParser.parse("1x-ago", null, NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Invalid duration (suffix): 1x");
    assertThatThrownBy(() -> TimeParser.parse("2013/12/20", "Mars/Olympus", NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Invalid timezone name: Mars/Olympus");
  }

  @Test
  void durationsSupportEveryUnit() {
    assertThat(TimeParser.parseDuration("1ms")).isEqualTo(1);
    assertThat(TimeParser.parseDuration("1s")).isEqualTo(1000);
    assertThat(TimeParser.parseDuration("1m")).isEqualTo(60_000);
    assertThat(TimeParser.parseDuration("1h")).isEqualTo(3_600_000);
    assertThat(TimeParser.parseDuration("1d")).isEqualTo(86_400_000);
    assertThat(TimeParser.parseDuration("1w")).isEqualTo(7 * 86_400_000L);
    assertThat(TimeParser.parseDuration("1n")).isEqualTo(30 * 86_400_000L);
    assertThat(TimeParser.parseDuration("1y")).isEqualTo(365 * 86_400_000L);
    assertThat(TimeParser.parseDuration("15M")).isEqualTo(15 * 60_000);
  }

  @Test
  void malformedDurationsAreRejected() {
    assertThatThrownBy(() -> TimeParser.parseDuration("10"))
        .hasMessage("Invalid duration, must have an integer and unit: 10");
    assertThatThrownBy(() -> TimeParser.parseDuration("h"))
        .hasMessage("Invalid duration (number): h");
    assertThatThrownBy(() -> TimeParser.parseDuration("0s"))
        .hasMessage("Zero or negative duration: 0s");
    assertThatThrownBy(() -> TimeParser.parseDuration("1.5h"))
        .hasMessage("Invalid duration (suffix): 1.5h");
    assertThatThrownBy(() -> TimeParser.parseDuration("99999999999999999y"))
        .hasMessage("Duration must be < Long.MAX_VALUE ms: 99999999999999999y");
  }
}
