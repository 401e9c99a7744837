package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GroupWarmupTest {

  @Test
  void theGroupNumberIsWhatFollowsTheLastDash() {
    assertThat(SeriesStore.groupNumber("default-63")).isEqualTo(OptionalInt.of(63));
    assertThat(SeriesStore.groupNumber("my-project-0")).isEqualTo(OptionalInt.of(0));
    assertThat(SeriesStore.groupNumber("default-")).isEmpty();
    assertThat(SeriesStore.groupNumber("default")).isEmpty();
    assertThat(SeriesStore.groupNumber("default-6a")).isEmpty();
    assertThat(SeriesStore.groupNumber("default-99999999999")).isEmpty();
  }

  @Test
  void theMismatchNamesTheGroupsTheSettingAndTheLeastCountThatFits() {
    String message = GroupWarmup.mismatch(List.of("a-20", "b-63", "default-16", "default-40"), 16);

    assertThat(message)
        .contains("up to 63")
        .contains("a-20, b-63, default-16")
        .doesNotContain("default-40")
        .contains("meridian.series.groups = 16")
        .contains("MERIDIAN_SERIES_GROUPS")
        .contains("at least 64");
  }
}
