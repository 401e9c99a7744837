package io.meridian.node.uid;

import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.opentsdb.Tsuids;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A unique ID and OpenTSDB's meta data about it ({@code /api/uid/uidmeta}): the assigned name, when
 * it was assigned, and the user-editable display name, description, notes and custom map.
 *
 * @param kind metric, tag key or tag value
 * @param uid the UID, 1 to {@link Tsuids#MAX_UID}
 * @param name the name the UID stands for
 * @param created when the UID was assigned, Unix epoch seconds
 * @param displayName a name for GUIs; empty when not set
 * @param description a short description; empty when not set
 * @param notes detailed notes; empty when not set
 * @param custom user key/value pairs, sorted by key; null when never set (OpenTSDB tells "not set"
 *     and "empty" apart)
 */
public record UidMeta(
    UidKind kind,
    int uid,
    String name,
    long created,
    String displayName,
    String description,
    String notes,
    Map<String, String> custom)
    implements CborSerializable {

  public UidMeta {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    displayName = displayName == null ? "" : displayName;
    description = description == null ? "" : description;
    notes = notes == null ? "" : notes;
    custom = custom == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(custom));
  }

  /** The meta data of a freshly assigned UID: only the name and creation time are set. */
  static UidMeta assigned(UidKind kind, int uid, String name, long created) {
    return new UidMeta(kind, uid, name, created, "", "", "", null);
  }

  /** The UID in OpenTSDB's hex form, e.g. {@code 00002A}. */
  public String uidHex() {
    return Tsuids.uidToString(uid);
  }

  /**
   * Applies a change. A merge ({@code replace} false, OpenTSDB's POST) keeps the fields the change
   * does not give; a replace (PUT) resets them to their defaults. Name and creation time never
   * change.
   */
  UidMeta with(UidMetaChange change, boolean replace) {
    if (replace) {
      return new UidMeta(
          kind,
          uid,
          name,
          created,
          change.displayName(),
          change.description(),
          change.notes(),
          change.custom());
    }
    return new UidMeta(
        kind,
        uid,
        name,
        created,
        change.displayName() != null ? change.displayName() : displayName,
        change.description() != null ? change.description() : description,
        change.notes() != null ? change.notes() : notes,
        change.custom() != null ? change.custom() : custom);
  }

  /** This UID's meta data with every user-editable field back to its default. */
  UidMeta cleared() {
    return assigned(kind, uid, name, created);
  }
}
