package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index keeps one key per series with its strings shared, reusing a key already shared. */
class GroupStateInternTest {

  @Test
  void aKeyWithFreshStringsIsReplacedByAnEqualOneWithInternedStrings() {
    String value = new String("web01".toCharArray());
    SeriesKey key = SeriesKey.of("t", new String("m".toCharArray()), Map.of("host", value));
    SeriesKey interned = GroupState.interned(key);
    assertThat(interned).isEqualTo(key).isNotSameAs(key);
    assertThat(interned.metric()).isSameAs("m");
    assertThat(interned.tags().get("host")).isSameAs("web01");
  }

  @Test
  void aKeyWhoseStringsAreInternedAlreadyIsKept() {
    SeriesKey key = SeriesKey.of("t", "m", Map.of("host", "web01", "dc", "lga"));
    assertThat(GroupState.interned(key)).isSameAs(key);
  }
}
