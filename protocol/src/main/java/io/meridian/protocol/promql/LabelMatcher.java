package io.meridian.protocol.promql;

import io.meridian.protocol.regex.BoundedRegex;
import io.meridian.protocol.regex.RegexTooComplexException;
import java.util.Objects;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of a series selector: {@code name="v"}, {@code name!="v"}, {@code name=~"re"}
 * or {@code name!~"re"}. As in Prometheus, a series without the label matches as if it had it with
 * the empty value, and regular expressions are anchored at both ends.
 *
 * <p>Regular expressions come from users, so they are compiled and matched as {@link BoundedRegex}:
 * one longer than {@link BoundedRegex#MAX_PATTERN_LENGTH} is refused like one that does not
 * compile, and {@link #matches(String)} throws {@link RegexTooComplexException} rather than
 * backtracking for minutes.
 */
public final class LabelMatcher {

  /** The four matcher types, with their PromQL operator. */
  public enum Type {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String operator;

    Type(String operator) {
      this.operator = operator;
    }

    public String operator() {
      return operator;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final BoundedRegex pattern;

  private LabelMatcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    this.pattern =
        type == Type.REGEX || type == Type.NOT_REGEX
            ? BoundedRegex.compile(value, "(?:" + value + ")", 0)
            : null;
  }

  /**
   * A matcher; throws {@link IllegalArgumentException} when a regex does not compile or is longer
   * than {@link BoundedRegex#MAX_PATTERN_LENGTH} (Prometheus uses RE2 syntax; Java's is a superset
   * for what PromQL users write).
   */
  public static LabelMatcher of(Type type, String name, String value) {
    try {
      return new LabelMatcher(type, name, value);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid regular expression in matcher "
              + name
              + type.operator()
              + "\""
              + value
              + "\": "
              + e.getDescription(),
          e);
    }
  }

  public static LabelMatcher equal(String name, String value) {
    return of(Type.EQUAL, name, value);
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  /**
   * Whether a label value (the empty string for a missing label) passes.
   *
   * @throws RegexTooComplexException if a regex takes too many steps to match the value
   */
  public boolean matches(String labelValue) {
    String v = labelValue == null ? "" : labelValue;
    return switch (type) {
      case EQUAL -> v.equals(value);
      case NOT_EQUAL -> !v.equals(value);
      case REGEX -> pattern.matches(v);
      case NOT_REGEX -> !pattern.matches(v);
    };
  }

  /** Whether this matcher also matches series that lack the label (it matches ""). */
  public boolean matchesEmpty() {
    return matches("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher other
        && type == other.type
        && name.equals(other.name)
        && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  @Override
  public String toString() {
    return name + type.operator() + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
