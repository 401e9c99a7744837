package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class HugePagesTest {

  @Test
  void theJvmAsksForHugePagesWhenTheKernelOffersThemByMadviseOrAlways() {
    assertThat(HugePages.offered("always [madvise] never\n")).isTrue();
    assertThat(HugePages.offered("[always] madvise never\n")).isTrue();
    assertThat(HugePages.offered("always madvise [never]\n")).isFalse();
    assertThat(HugePages.offered("")).isFalse();
  }

  @Test
  void theOptionFollowsThisMachinesSetting() throws Exception {
    boolean offered =
        Files.isReadable(HugePages.ENABLED)
            && HugePages.offered(Files.readString(HugePages.ENABLED));
    assertThat(HugePages.jvmOptions())
        .isEqualTo(offered ? java.util.List.of(HugePages.OPTION) : java.util.List.of());
  }
}
