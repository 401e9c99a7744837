package io.meridian.node.uid;

import java.util.Locale;

/**
 * The three kinds of names OpenTSDB assigns unique IDs to. Each kind has its own UID sequence, so
 * metric {@code 000001} and tag key {@code 000001} are different names.
 */
public enum UidKind {
  METRIC("metric", "metrics"),
  TAGK("tagk", "tagk"),
  TAGV("tagv", "tagv");

  private final String parameter;
  private final String qualifier;

  UidKind(String parameter, String qualifier) {
    this.parameter = parameter;
    this.qualifier = qualifier;
  }

  /** The name OpenTSDB's API uses for the kind: {@code metric}, {@code tagk} or {@code tagv}. */
  public String parameter() {
    return parameter;
  }

  /**
   * OpenTSDB's name of the kind's UID table in messages such as {@code No such name for 'metrics'}.
   */
  public String qualifier() {
    return qualifier;
  }

  /**
   * Parses a kind as OpenTSDB does: {@code metric} (or {@code metrics}), {@code tagk}, {@code
   * tagv}, in any case.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static UidKind parse(String type) {
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "metric", "metrics" -> METRIC;
      case "tagk" -> TAGK;
      case "tagv" -> TAGV;
      default -> throw new IllegalArgumentException("Invalid type requested: " + type);
    };
  }
}
