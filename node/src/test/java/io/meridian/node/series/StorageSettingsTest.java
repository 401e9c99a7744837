package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {

  @Test
  void defaultsAndPerProjectValuesWithDotsAndDashesInProjectIds() {
    var settings =
        StorageSettings.fromConfig(
            ConfigFactory.parseString(
                    "meridian.series.retention.projects { \"web.prod\" = 90d, ops-1 = 36h }\n"
                        + "meridian.series.series-limit.projects { \"web.prod\" = 5000 }\n"
                        + "pekko.persistence.journal.plugin ="
                        + " \"pekko.persistence.cassandra.journal\"\n")
                .withFallback(ConfigFactory.load()));

    assertThat(settings.retentionOf("web.prod")).isEqualTo(Duration.ofDays(90));
    assertThat(settings.retentionOf("ops-1")).isEqualTo(Duration.ofHours(36));
    assertThat(settings.retentionOf("other")).isEqualTo(Duration.ofDays(15));
    assertThat(settings.seriesLimitOf("web.prod")).isEqualTo(5000);
    assertThat(settings.seriesLimitOf("other")).isEqualTo(1_000_000);
    assertThat(settings.chunkSpan()).isEqualTo(Duration.ofHours(2));
    assertThat(settings.sealIdle()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.chunkStore()).isEqualTo("cassandra");
  }

  @Test
  void autoPicksMemoryWithTheTestKitsJournal() {
    var settings =
        StorageSettings.fromConfig(
            ConfigFactory.parseString(
                    "pekko.persistence.journal.plugin = \"pekko.persistence.testkit.journal\"")
                .withFallback(ConfigFactory.load()));

    assertThat(settings.chunkStore()).isEqualTo("memory");
  }

  @Test
  void aChunkSpanMustDivideADay() {
    assertThatThrownBy(
            () ->
                StorageSettings.fromConfig(
                    ConfigFactory.parseString("meridian.series.chunk-span = 7h")
                        .withFallback(ConfigFactory.load())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divide a day");
  }

  @Test
  void durationsPrintAsConfigured() {
    assertThat(StorageSettings.format(Duration.ofDays(15))).isEqualTo("15d");
    assertThat(StorageSettings.format(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(StorageSettings.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(StorageSettings.format(Duration.ofSeconds(45))).isEqualTo("45s");
  }
}
