package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The map of series by id answers as a HashMap would, through growth and removals. */
class LongKeyMapTest {

  @Test
  void answersAsAHashMapUnderRandomPutsAndRemovals() {
    Random random = new Random(5);
    LongKeyMap<String> map = new LongKeyMap<>();
    Map<Long, String> expected = new HashMap<>();
    for (int op = 0; op < 200_000; op++) {
      // Dense ids, as a group gives them, and a few far-off ones.
      long key = random.nextInt(10) == 0 ? random.nextLong() : random.nextInt(5_000);
      int what = random.nextInt(3);
      if (what < 2) {
        String value = "v" + op;
        assertThat(map.put(key, value)).isEqualTo(expected.put(key, value));
      } else {
        assertThat(map.remove(key)).isEqualTo(expected.remove(key));
      }
      assertThat(map.size()).isEqualTo(expected.size());
      if (op % 1_000 == 0) {
        for (long probe = -5; probe < 5_005; probe++) {
          assertThat(map.get(probe)).isEqualTo(expected.get(probe));
        }
        for (Map.Entry<Long, String> e : expected.entrySet()) {
          assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
      }
    }
  }

  @Test
  void emptiedAndRefilled() {
    LongKeyMap<Long> map = new LongKeyMap<>();
    for (long i = 0; i < 10_000; i++) {
      map.put(i, i);
    }
    for (long i = 0; i < 10_000; i++) {
      assertThat(map.remove(i)).isEqualTo(i);
    }
    assertThat(map.size()).isZero();
    assertThat(map.get(5)).isNull();
    assertThat(map.remove(5)).isNull();
    map.put(Long.MIN_VALUE, 1L);
    map.put(0, 2L);
    assertThat(map.get(Long.MIN_VALUE)).isEqualTo(1L);
    assertThat(map.get(0)).isEqualTo(2L);
    assertThatThrownBy(() -> map.put(1, null)).isInstanceOf(NullPointerException.class);
  }
}
