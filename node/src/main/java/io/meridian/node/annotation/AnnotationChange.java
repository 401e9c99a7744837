package io.meridian.node.annotation;

import io.meridian.protocol.CborSerializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One annotation of a POST or PUT: its identity and the fields the request gives. As in OpenTSDB, a
 * field counts as given when it is a non-empty string, a non-zero end time or a non-null map;
 * fields not given are null (0 for the end time) here.
 *
 * @param tsuid the upper-case TSUID, or empty for a global annotation
 * @param startTime the start time, Unix epoch seconds
 */
public record AnnotationChange(
    String tsuid,
    long startTime,
    long endTime,
    String description,
    String notes,
    Map<String, String> custom)
    implements CborSerializable {

  public AnnotationChange {
    tsuid = tsuid == null ? "" : tsuid;
    description = description == null || description.isEmpty() ? null : description;
    notes = notes == null || notes.isEmpty() ? null : notes;
    custom = custom == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(custom));
  }

  public Annotation.Key key() {
    return new Annotation.Key(tsuid, startTime);
  }

  /** Whether any field is given; without one OpenTSDB answers 304 Not Modified. */
  public boolean hasChanges() {
    return endTime != 0 || description != null || notes != null || custom != null;
  }

  /**
   * The annotation after this change: a merge ({@code replace} false, OpenTSDB's POST) keeps the
   * fields of {@code existing} (null: none) that the change does not give; a replace (PUT) resets
   * them to their defaults.
   */
  Annotation applyTo(Annotation existing, boolean replace) {
    Annotation base =
        existing == null || replace ? new Annotation(tsuid, startTime, 0, "", "", null) : existing;
    return new Annotation(
        tsuid,
        startTime,
        endTime != 0 ? endTime : base.endTime(),
        description != null ? description : base.description(),
        notes != null ? notes : base.notes(),
        custom != null ? custom : base.custom());
  }
}
