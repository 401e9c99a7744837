package io.meridian.protocol.opentsdb.expression;

import io.meridian.protocol.opentsdb.BadQueryException;
import java.util.Locale;

/**
 * An {@code /api/query/exp} fill policy: the value a variable takes where it has no data point, and
 * the value an expression's NaN results become.
 *
 * @param policy {@code nan}, {@code null}, {@code zero} or {@code scalar}
 * @param value the substituted value: NaN for {@code nan} and {@code null} (which is NaN during
 *     computation and printed as JSON null), 0 for {@code zero}, the given value for {@code scalar}
 */
public record NumericFill(String policy, double value) {

  /** NaN, OpenTSDB's default for expressions. */
  public static final NumericFill NAN = new NumericFill("nan", Double.NaN);

  /** Zero, OpenTSDB's documented default for metrics. */
  public static final NumericFill ZERO = new NumericFill("zero", 0);

  /** Whether missing values print as JSON {@code null}. */
  public boolean printsNull() {
    return policy.equals("null");
  }

  /**
   * Builds a policy from its JSON parts as OpenTSDB validates them: a scalar needs a value, the
   * others take none that contradicts them.
   *
   * @param policy the policy name, any case
   * @param value the {@code value} field as text, or null when absent
   * @throws BadQueryException if the policy is unknown or the value does not fit it
   */
  public static NumericFill of(String policy, String value) {
    if (policy == null || policy.isEmpty()) {
      throw new BadQueryException("Missing fill policy");
    }
    String name = policy.toLowerCase(Locale.ROOT);
    Double parsed = null;
    if (value != null && !value.isEmpty()) {
      try {
        parsed = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new BadQueryException("Invalid fill policy value '" + value + "': not a number", e);
      }
    }
    return switch (name) {
      case "nan", "null" -> {
        if (parsed != null && !parsed.isNaN()) {
          throw new BadQueryException(
              "The value for the " + name + " fill policy must be NaN, got " + value);
        }
        yield new NumericFill(name, Double.NaN);
      }
      case "zero" -> {
        if (parsed != null && parsed != 0) {
          throw new BadQueryException("The value for the zero fill policy must be 0, got " + value);
        }
        yield ZERO;
      }
      case "scalar" -> {
        if (parsed == null) {
          throw new BadQueryException("The scalar fill policy requires a value");
        }
        yield new NumericFill(name, parsed);
      }
      default ->
          throw new BadQueryException(
              "No such fill policy: '" + policy + "': must be one of: nan null zero scalar");
    };
  }
}
