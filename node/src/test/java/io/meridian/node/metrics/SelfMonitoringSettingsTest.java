package io.meridian.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The instance label names where the node's API is reached, and the settings are checked when read.
 */
class SelfMonitoringSettingsTest {

  private static final SelfMonitoringSettings DEFAULTS =
      SelfMonitoringSettings.fromConfig(ConfigFactory.load());

  @Test
  void defaultsStoreEvery15SecondsInTheInternalProject() {
    assertThat(DEFAULTS.enabled()).isTrue();
    assertThat(DEFAULTS.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(DEFAULTS.project()).isEqualTo("internal");
  }

  @Test
  void instanceIsTheApisHostAndPortWithTheRemotingHostForAWildcard() {
    assertThat(DEFAULTS.instanceFor("10.0.0.5", 4242, "node-1")).isEqualTo("10.0.0.5:4242");
    assertThat(DEFAULTS.instanceFor("0.0.0.0", 4242, "node-1")).isEqualTo("node-1:4242");
    assertThat(DEFAULTS.instanceFor("::", 4242, "fd00::5")).isEqualTo("[fd00::5]:4242");
    SelfMonitoringSettings named =
        new SelfMonitoringSettings(true, Duration.ofSeconds(15), "internal", "meridian-0:4242");
    assertThat(named.instanceFor("0.0.0.0", 4242, "node-1")).isEqualTo("meridian-0:4242");
  }

  @Test
  void aZeroIntervalOrEmptyProjectIsRefused() {
    assertThatThrownBy(() -> new SelfMonitoringSettings(true, Duration.ZERO, "internal", ""))
        .hasMessageContaining("meridian.self-monitoring.interval");
    assertThatThrownBy(() -> new SelfMonitoringSettings(true, Duration.ofSeconds(1), " ", ""))
        .hasMessageContaining("meridian.self-monitoring.project");
  }
}
