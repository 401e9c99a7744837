package io.meridian.node.uid;

import io.meridian.protocol.CborSerializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The user-editable fields of a {@code /api/uid/uidmeta} POST or PUT. A field counts as given when
 * it is a non-empty string or a non-null map, as in OpenTSDB, where an empty string is never a
 * change; a field not given is null here.
 */
public record UidMetaChange(
    String displayName, String description, String notes, Map<String, String> custom)
    implements CborSerializable {

  public UidMetaChange {
    displayName = emptyToNull(displayName);
    description = emptyToNull(description);
    notes = emptyToNull(notes);
    custom = custom == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(custom));
  }

  /** Whether any field is given; without one OpenTSDB answers 304 Not Modified. */
  public boolean hasChanges() {
    return displayName != null || description != null || notes != null || custom != null;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
