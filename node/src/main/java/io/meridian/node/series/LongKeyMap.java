package io.meridian.node.series;

/**
 * A map from {@code long} to objects by open addressing (linear probing, backward-shift removal),
 * for a group's series by id: a {@code HashMap<Long, V>} costs a node and a boxed key per entry,
 * about 56 bytes; this costs about 24 at its load of at most a half. Null values are not allowed.
 * Not thread-safe.
 */
final class LongKeyMap<V> {

  private static final int MIN_CAPACITY = 16;

  private long[] keys;
  private Object[] values;
  private int size;
  private int shift;

  LongKeyMap() {
    allocate(MIN_CAPACITY);
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key); ; i = (i + 1) & mask) {
      Object value = values[i];
      if (value == null) {
        return null;
      }
      if (keys[i] == key) {
        return (V) value;
      }
    }
  }

  /** Maps {@code key} to {@code value}, returning the value it replaced or null. */
  @SuppressWarnings("unchecked")
  V put(long key, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    int mask = keys.length - 1;
    for (int i = slot(key); ; i = (i + 1) & mask) {
      Object old = values[i];
      if (old == null) {
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
          grow();
        }
        return null;
      }
      if (keys[i] == key) {
        values[i] = value;
        return (V) old;
      }
    }
  }

  /** Removes {@code key}'s mapping, returning its value or null. */
  @SuppressWarnings("unchecked")
  V remove(long key) {
    int mask = keys.length - 1;
    int i = slot(key);
    while (true) {
      Object value = values[i];
      if (value == null) {
        return null;
      }
      if (keys[i] == key) {
        break;
      }
      i = (i + 1) & mask;
    }
    V removed = (V) values[i];
    // Backward shift: move later entries of the probe run into the gap where their probe passes it.
    int gap = i;
    for (int j = (gap + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int home = slot(keys[j]);
      if (((j - home) & mask) >= ((j - gap) & mask)) {
        keys[gap] = keys[j];
        values[gap] = values[j];
        gap = j;
      }
    }
    values[gap] = null;
    size--;
    return removed;
  }

  private int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    allocate(keys.length * 2);
    int mask = keys.length - 1;
    for (int k = 0; k < oldKeys.length; k++) {
      if (oldValues[k] != null) {
        int i = slot(oldKeys[k]);
        while (values[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[k];
        values[i] = oldValues[k];
      }
    }
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    values = new Object[capacity];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
  }
}
