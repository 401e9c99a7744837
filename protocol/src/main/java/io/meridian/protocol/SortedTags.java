package io.meridian.protocol;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tags of a {@link SeriesKey}: an unmodifiable sorted map over one array of names and values in
 * name order. A node holds a key per series for as long as the series lives, and a {@code TreeMap}
 * under an unmodifiable view costs about 250 bytes for a node-exporter series' four tags (an entry
 * object per tag, the map, the view and their entry sets); this costs the array and the object.
 * Lookups are binary searches; the range views ({@link #subMap} and the like), which nothing on a
 * hot path asks for, are copies.
 */
final class SortedTags extends AbstractMap<String, String> implements SortedMap<String, String> {

  static final SortedTags EMPTY = new SortedTags(new String[0]);

  /** Name, value, name, value…, names ascending and distinct. */
  private final String[] pairs;

  private SortedTags(String[] pairs) {
    this.pairs = pairs;
  }

  /** The tags of a map whose iteration is in ascending natural order of distinct names. */
  static SortedTags ofSorted(Map<String, String> sorted) {
    if (sorted.isEmpty()) {
      return EMPTY;
    }
    String[] pairs = new String[sorted.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> tag : sorted.entrySet()) {
      pairs[i++] = tag.getKey();
      pairs[i++] = tag.getValue();
    }
    return new SortedTags(pairs);
  }

  String name(int i) {
    return pairs[2 * i];
  }

  String value(int i) {
    return pairs[2 * i + 1];
  }

  /** Whether both hold the same names and values, compared in order. */
  boolean sameAs(SortedTags other) {
    return Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int size() {
    return pairs.length / 2;
  }

  @Override
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  @Override
  public boolean containsKey(Object name) {
    return indexOf(name) >= 0;
  }

  @Override
  public String get(Object name) {
    int i = indexOf(name);
    return i < 0 ? null : pairs[2 * i + 1];
  }

  private int indexOf(Object name) {
    if (!(name instanceof String wanted)) {
      return -1;
    }
    int low = 0;
    int high = size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int order = pairs[2 * mid].compareTo(wanted);
      if (order < 0) {
        low = mid + 1;
      } else if (order > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < pairs.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (next >= pairs.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, String> entry =
                new AbstractMap.SimpleImmutableEntry<>(pairs[next], pairs[next + 1]);
            next += 2;
            return entry;
          }
        };
      }

      @Override
      public int size() {
        return pairs.length / 2;
      }
    };
  }

  @Override
  public Comparator<? super String> comparator() {
    return null;
  }

  @Override
  public String firstKey() {
    if (pairs.length == 0) {
      throw new NoSuchElementException();
    }
    return pairs[0];
  }

  @Override
  public String lastKey() {
    if (pairs.length == 0) {
      throw new NoSuchElementException();
    }
    return pairs[pairs.length - 2];
  }

  @Override
  public SortedMap<String, String> subMap(String fromKey, String toKey) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(this).subMap(fromKey, toKey));
  }

  @Override
  public SortedMap<String, String> headMap(String toKey) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(this).headMap(toKey));
  }

  @Override
  public SortedMap<String, String> tailMap(String fromKey) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(this).tailMap(fromKey));
  }
}
