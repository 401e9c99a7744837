package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A series found by the key object it holds is attached to that object, and an attachment is
 * trusted only by the state that made it, only while its series lives.
 */
class GroupStateAttachmentTest {

  private static final SeriesKey KEY = SeriesKey.of("t", "m", Map.of("host", "web01"));

  @Test
  void aLookupAttachesTheSeriesAndTheNextFindsItThere() {
    SeriesKey key = SeriesKey.of("t", "m", Map.of("host", "web01"));
    GroupState state = new GroupState();
    GroupState.Series created = state.create(7, key);

    assertThat(state.get(key)).isSameAs(created);
    assertThat(key.attachment()).isSameAs(created);
    assertThat(state.get(key)).isSameAs(created);
    // An equal key of another object is found through the index and left alone.
    SeriesKey equal = SeriesKey.of("t", "m", Map.of("host", "web01"));
    assertThat(state.get(equal)).isSameAs(created);
    assertThat(equal.attachment()).isNull();
  }

  @Test
  void anotherStatesAttachmentIsIgnoredAndReplaced() {
    SeriesKey key = SeriesKey.of("t", "m", Map.of("host", "web02"));
    GroupState before = new GroupState();
    before.create(1, key);
    before.get(key);
    GroupState after = new GroupState(); // e.g. the group recovered from a snapshot

    assertThat(after.get(key)).isNull();
    GroupState.Series own = after.create(1, key);
    assertThat(after.get(key)).isSameAs(own);
    assertThat(key.attachment()).isSameAs(own);
  }

  @Test
  void removedSeriesAndStoppedStatesLetGoOfTheirKeys() {
    SeriesKey key = SeriesKey.of("t", "m", Map.of("host", "web03"));
    GroupState state = new GroupState();
    state.create(3, key);
    state.get(key);

    state.remove(3);
    assertThat(key.attachment()).isNull();
    assertThat(state.get(key)).isNull();

    state.create(4, key);
    state.create(5, KEY);
    state.get(key);
    state.get(KEY);
    state.detachAll();
    assertThat(key.attachment()).isNull();
    assertThat(KEY.attachment()).isNull();
    assertThat(state.get(key).id).isEqualTo(4);
  }
}
