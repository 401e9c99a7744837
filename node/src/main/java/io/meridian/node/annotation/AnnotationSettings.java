package io.meridian.node.annotation;

import com.typesafe.config.Config;

/** Settings of the annotation stores, read from {@code meridian.annotations}. */
public record AnnotationSettings(int maxCount, long maxBytes, int snapshotEvery) {

  public AnnotationSettings {
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException(
          "meridian.annotations.snapshot-every must be at least 1: " + snapshotEvery);
    }
  }

  public static AnnotationSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.annotations");
    return new AnnotationSettings(
        c.getInt("max-count"), c.getBytes("max-bytes"), c.getInt("snapshot-every"));
  }
}
