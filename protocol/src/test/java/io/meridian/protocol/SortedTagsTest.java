package io.meridian.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A key's tags behave as the sorted, unmodifiable map they replace. */
class SortedTagsTest {

  @Test
  void answersAsATreeMapOfTheSameTags() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      TreeMap<String, String> expected = new TreeMap<>();
      int size = random.nextInt(8);
      while (expected.size() < size) {
        expected.put("n" + random.nextInt(20), "v" + random.nextInt(5));
      }
      SortedTags tags = SortedTags.ofSorted(expected);
      assertThat(tags).isEqualTo(expected).hasSameHashCodeAs(expected);
      assertThat(expected).isEqualTo(tags);
      assertThat(new ArrayList<>(tags.entrySet())).isEqualTo(new ArrayList<>(expected.entrySet()));
      assertThat(List.copyOf(tags.keySet())).isEqualTo(List.copyOf(expected.keySet()));
      assertThat(List.copyOf(tags.values())).isEqualTo(List.copyOf(expected.values()));
      assertThat(tags.toString()).isEqualTo(expected.toString());
      for (int i = 0; i < 20; i++) {
        String name = "n" + i;
        assertThat(tags.get(name)).isEqualTo(expected.get(name));
        assertThat(tags.containsKey(name)).isEqualTo(expected.containsKey(name));
      }
      assertThat(tags.get(3)).isNull();
      assertThat(tags.comparator()).isNull();
      if (!expected.isEmpty()) {
        assertThat(tags.firstKey()).isEqualTo(expected.firstKey());
        assertThat(tags.lastKey()).isEqualTo(expected.lastKey());
      }
      assertThat(tags.headMap("n1")).isEqualTo(expected.headMap("n1"));
      assertThat(tags.tailMap("n1")).isEqualTo(expected.tailMap("n1"));
      assertThat(tags.subMap("n1", "n5")).isEqualTo(expected.subMap("n1", "n5"));
    }
  }

  @Test
  void isUnmodifiable() {
    SortedTags tags = SortedTags.ofSorted(new TreeMap<>(Map.of("a", "1", "b", "2")));
    assertThatThrownBy(() -> tags.put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> tags.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(tags::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> tags.entrySet().iterator().next().setValue("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> tags.headMap("b").put("0", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(tags).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @Test
  void theEmptyTagsHaveNoFirstOrLastName() {
    SortedTags empty = SortedTags.ofSorted(Map.of());
    assertThat(empty).isEmpty();
    assertThatThrownBy(empty::firstKey).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(empty::lastKey).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> empty.entrySet().iterator().next())
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void aKeyBuiltFromAnotherKeysTagsSharesThem() {
    SeriesKey key = SeriesKey.of("t", "m", Map.of("b", "2", "a", "1"));
    SeriesKey copy = SeriesKey.of("t", "n", key.tags());
    assertThat(copy.tags()).isSameAs(key.tags());
  }
}
