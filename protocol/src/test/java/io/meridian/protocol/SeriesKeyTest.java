package io.meridian.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A series key compares by content, keeps the hash that places series in groups, and serializes.
 */
class SeriesKeyTest {

  @Test
  void equalKeysAreEqualWhateverTheTagOrder() {
    Map<String, String> inOrder = new LinkedHashMap<>();
    inOrder.put("host", "web01");
    inOrder.put("dc", "lga");
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("dc", "lga");
    reversed.put("host", "web01");
    SeriesKey a = SeriesKey.of("t", "sys.cpu", inOrder);
    SeriesKey b = new SeriesKey("t", "sys.cpu", reversed);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.tags()).containsExactly(Map.entry("dc", "lga"), Map.entry("host", "web01"));
    assertThat(a.toString()).isEqualTo("sys.cpu{dc=lga,host=web01}");
    assertThat(a.chars()).isEqualTo("t".length() + "sys.cpu".length() + "dclgahostweb01".length());
  }

  @Test
  void keysThatDifferInAnyPartDiffer() {
    SeriesKey key = SeriesKey.of("t", "m", Map.of("a", "1", "b", "2"));
    assertThat(key)
        .isNotEqualTo(SeriesKey.of("u", "m", Map.of("a", "1", "b", "2")))
        .isNotEqualTo(SeriesKey.of("t", "n", Map.of("a", "1", "b", "2")))
        .isNotEqualTo(SeriesKey.of("t", "m", Map.of("a", "1", "b", "3")))
        .isNotEqualTo(SeriesKey.of("t", "m", Map.of("a", "1", "c", "2")))
        .isNotEqualTo(SeriesKey.of("t", "m", Map.of("a", "1")))
        .isNotEqualTo(SeriesKey.of("t", "m", Map.of("a", "1", "b", "2", "c", "3")))
        .isNotEqualTo(null)
        .isNotEqualTo("m{a=1,b=2}");
  }

  /**
   * The hash is the one the key had as a record (tenant, metric, then the tags' Map hash), because
   * a series' group is derived from it: a different hash would move stored series.
   */
  @Test
  void hashIsTheRecordHashThatGroupsDependOn() {
    Map<String, String> tags = Map.of("instance", "host-7:9100", "job", "node", "cpu", "3");
    SeriesKey key = SeriesKey.of("default", "node_cpu_seconds_total", tags);
    int expected =
        (("default".hashCode() * 31) + "node_cpu_seconds_total".hashCode()) * 31
            + new TreeMap<>(tags).hashCode();
    assertThat(key.hashCode()).isEqualTo(expected);
    assertThat(key.tagCount()).isEqualTo(3);
    assertThat(key.chars()).isEqualTo("default".length() + "node_cpu_seconds_total".length() + 30);
    assertThat(SeriesKey.of("a", "b", Map.of()).hashCode())
        .isEqualTo("a".hashCode() * 31 * 31 + "b".hashCode() * 31);
  }

  @Test
  void tagsAreCopiedAndUnmodifiable() {
    Map<String, String> tags = new TreeMap<>(Map.of("a", "1"));
    SeriesKey key = SeriesKey.of("t", "m", tags);
    tags.put("b", "2");
    assertThat(key.tags()).containsOnlyKeys("a");
    assertThatThrownBy(() -> key.tags().put("c", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(new SeriesKey("t", "m", null).tags()).isEmpty();
    assertThatThrownBy(() -> new SeriesKey(null, "m", Map.of()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new SeriesKey("t", null, Map.of()))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void ownedTagsAreTakenAsTheyAreUnlessTheyAreNotInNaturalOrder() {
    TreeMap<String, String> owned = new TreeMap<>(Map.of("a", "1", "b", "2"));
    SeriesKey key = SeriesKey.ofOwned("t", "m", owned);
    assertThat(key).isEqualTo(SeriesKey.of("t", "m", Map.of("b", "2", "a", "1")));
    TreeMap<String, String> reverse = new TreeMap<>(Comparator.reverseOrder());
    reverse.putAll(owned);
    SeriesKey fromReverse = SeriesKey.ofOwned("t", "m", reverse);
    assertThat(fromReverse).isEqualTo(key).hasSameHashCodeAs(key);
    assertThat(fromReverse.tags().firstKey()).isEqualTo("a");
  }

  @Test
  void serializesAsTenantMetricAndTags() throws Exception {
    SeriesKey key = SeriesKey.of("t", "m", Map.of("b", "2", "a", "1"));
    JsonMapper json = new JsonMapper();
    assertThat(json.writeValueAsString(key))
        .isEqualTo("{\"tenant\":\"t\",\"metric\":\"m\",\"tags\":{\"a\":\"1\",\"b\":\"2\"}}");
    assertThat(
            json.readValue(
                "{\"tenant\":\"t\",\"metric\":\"m\",\"tags\":{\"b\":\"2\",\"a\":\"1\"}}",
                SeriesKey.class))
        .isEqualTo(key);
    CBORMapper cbor = new CBORMapper();
    assertThat(cbor.readValue(cbor.writeValueAsBytes(key), SeriesKey.class)).isEqualTo(key);
  }
}
