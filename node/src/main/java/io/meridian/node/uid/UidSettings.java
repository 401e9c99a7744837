package io.meridian.node.uid;

import com.typesafe.config.Config;

/** Settings of the UID registries, read from {@code meridian.uid}. */
public record UidSettings(int snapshotEvery, int snapshotMaxNames) {

  public UidSettings {
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException(
          "meridian.uid.snapshot-every must be at least 1: " + snapshotEvery);
    }
  }

  public static UidSettings fromConfig(Config config) {
    Config c = config.getConfig("meridian.uid");
    return new UidSettings(c.getInt("snapshot-every"), c.getInt("snapshot-max-names"));
  }
}
