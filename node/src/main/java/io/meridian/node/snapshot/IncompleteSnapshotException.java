package io.meridian.node.snapshot;

/**
 * A stored snapshot lacks some of its parts or holds parts that do not add up to what its header
 * records (lengths, checksum). Loading skips such a snapshot for the next older one, as it skips
 * one whose save never wrote its header, instead of failing recovery.
 */
public final class IncompleteSnapshotException extends RuntimeException {

  public IncompleteSnapshotException(String message) {
    super(message);
  }
}
