package io.meridian.protocol.promql;

import java.util.List;

/**
 * How a binary operation between two instant vectors pairs their samples: on the listed labels
 * ({@code on}) or on all but them ({@code ignoring}), one-to-one or with a {@code group_left} /
 * {@code group_right} side taking the extra {@code include} labels from the other.
 */
public record VectorMatching(
    Cardinality cardinality, List<String> labels, boolean on, List<String> include) {

  /** Which side may have several samples per match group. */
  public enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }

  public VectorMatching {
    labels = List.copyOf(labels);
    include = List.copyOf(include);
  }

  /** What a binary operation without any matching clause uses. */
  public static VectorMatching oneToOne() {
    return new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
  }
}
