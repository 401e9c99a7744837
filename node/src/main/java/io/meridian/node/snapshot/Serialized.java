package io.meridian.node.snapshot;

import java.util.Objects;

/**
 * An object as Pekko serialization wrote it: the serializer's id, its manifest for the object's
 * type (empty if the serializer needs none) and the bytes. Snapshots and their optional metadata
 * are stored this way, as pekko-persistence-cassandra stores them, so that the configured
 * serializer (Jackson CBOR for {@code CborSerializable}) applies and can read them back.
 */
public record Serialized(int serializerId, String manifest, byte[] bytes) {

  public Serialized {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(bytes, "bytes");
  }
}
