package io.meridian.http.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromParamsTest {

  private static PromParams of(String name, String value) {
    return new PromParams(Map.of(name, List.of(value)));
  }

  @Test
  void timesAreUnixSecondsOrRfc3339() {
    assertThat(of("t", "1700000000").requiredTime("t")).isEqualTo(1700000000000L);
    assertThat(of("t", "1700000000.123").requiredTime("t")).isEqualTo(1700000000123L);
    assertThat(of("t", "2023-11-14T22:13:20Z").requiredTime("t")).isEqualTo(1700000000000L);
    assertThat(of("t", "2023-11-14T23:13:20.5+01:00").requiredTime("t")).isEqualTo(1700000000500L);
    assertThat(of("x", "1").time("t", 42)).isEqualTo(42);
    assertThatThrownBy(() -> of("t", "soon").requiredTime("t"))
        .hasMessage("invalid parameter \"t\": cannot parse \"soon\" to a valid timestamp");
  }

  @Test
  void durationsAreFloatSecondsOrPrometheusDurations() {
    assertThat(of("step", "15").duration("step")).isEqualTo(15_000);
    assertThat(of("step", "0.5").duration("step")).isEqualTo(500);
    assertThat(of("step", "1m30s").duration("step")).isEqualTo(90_000);
    assertThat(of("step", "1h").duration("step")).isEqualTo(3_600_000);
    assertThat(of("step", "2d").duration("step")).isEqualTo(172_800_000);
    assertThat(of("step", "250ms").duration("step")).isEqualTo(250);
    assertThatThrownBy(() -> of("step", "1x").duration("step"))
        .hasMessage("invalid parameter \"step\": cannot parse \"1x\" to a valid duration");
    assertThatThrownBy(() -> of("step", "1e300").duration("step"))
        .hasMessageContaining("It overflows int64");
  }
}
