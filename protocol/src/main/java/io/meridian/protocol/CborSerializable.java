package io.meridian.protocol;

/**
 * Marker for every message and event that crosses a node boundary or is persisted. Bound to Pekko's
 * {@code jackson-cbor} serializer in {@code serialization.conf}; nothing in Meridian uses Java
 * serialization.
 */
public interface CborSerializable {}
