package io.meridian.ops.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a time span as operators write it on a command line: a whole number and a unit ({@code
 * 500ms}, {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d}) or ISO-8601 ({@code PT24H}).
 */
public final class SpanConverter implements ITypeConverter<Duration> {

  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    Duration span;
    Matcher matcher = SHORT.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      span =
          switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else if (text.startsWith("p")) {
      try {
        span = Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new TypeConversionException("not a time span: '" + value + "'");
      }
    } else {
      throw new TypeConversionException(
          "not a time span: '" + value + "' (examples: 500ms, 90s, 15m, 24h, 7d, PT24H)");
    }
    if (span.isZero() || span.isNegative()) {
      throw new TypeConversionException("a time span must be positive: '" + value + "'");
    }
    return span;
  }

  /**
   * A span as {@link #convert} reads it, in its largest whole unit, days only from two on: {@code
   * 7d}, {@code 24h}, {@code 90s}.
   */
  public static String format(Duration span) {
    if (span.toMillis() % 86_400_000 == 0 && span.toDays() > 1) {
      return span.toDays() + "d";
    } else if (span.toMillis() % 3_600_000 == 0) {
      return span.toHours() + "h";
    } else if (span.toMillis() % 60_000 == 0) {
      return span.toMinutes() + "m";
    } else if (span.toMillis() % 1000 == 0) {
      return span.toSeconds() + "s";
    }
    return span.toMillis() + "ms";
  }
}
