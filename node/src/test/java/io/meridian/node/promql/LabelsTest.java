package io.meridian.node.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Label sets compare by content and reuse what a range query asks of them at every step. */
class LabelsTest {

  private final Labels labels =
      Labels.of(Map.of("__name__", "up", "job", "node", "instance", "a:9100"));

  @Test
  void derivedSetsAreReusedForTheSameNamesAndRightForOthers() {
    List<String> by = List.of("instance");
    Labels kept = labels.keep(by);
    assertThat(kept).isEqualTo(Labels.of(Map.of("instance", "a:9100")));
    assertThat(labels.keep(by)).isSameAs(kept);
    // Other names (even equal ones in another list) are computed, not taken from the last result.
    assertThat(labels.keep(List.of("job"))).isEqualTo(Labels.of(Map.of("job", "node")));
    assertThat(labels.without(by)).isEqualTo(Labels.of(Map.of("__name__", "up", "job", "node")));
    assertThat(labels.keep(by)).isEqualTo(kept);
    assertThat(labels.without(by)).isSameAs(labels.without(by));

    Labels nameless = labels.withoutMetricName();
    assertThat(nameless).isEqualTo(Labels.of(Map.of("job", "node", "instance", "a:9100")));
    assertThat(labels.withoutMetricName()).isSameAs(nameless);
    assertThat(nameless.withoutMetricName()).isSameAs(nameless);
  }

  @Test
  void equalityAndHashFollowTheContent() {
    Labels same = new Labels(new TreeMap<>(labels.map()));
    assertThat(same).isEqualTo(labels).hasSameHashCodeAs(labels);
    Labels other = labels.with("job", "api");
    other.hashCode();
    labels.hashCode();
    assertThat(other).isNotEqualTo(labels);
    assertThat(labels).isNotEqualTo(null).isNotEqualTo(labels.map());
    assertThat(labels.compareTo(same)).isZero();
    assertThat(labels.toString()).isEqualTo("{__name__=up, instance=a:9100, job=node}");
  }
}
