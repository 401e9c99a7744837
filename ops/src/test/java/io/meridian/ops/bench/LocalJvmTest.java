package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class LocalJvmTest {

  @Test
  void thisJvmIsReadWithoutAttaching() throws IOException {
    // The JDK refuses to attach a JVM to itself; its own MBeans serve instead.
    try (LocalJvm self = LocalJvm.attach(ProcessHandle.current().pid())) {
      assertThat(self.liveHeapBytes()).isPositive();
    }
  }

  @Test
  void aProcessThatIsNoJvmIsRefusedWithoutBeingSignalled() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      assertThatThrownBy(() -> LocalJvm.attach(sleep.pid()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is not a Java VM");
      // Attaching would have sent it SIGQUIT, which ends it.
      assertThat(sleep.isAlive()).isTrue();
    } finally {
      sleep.destroy();
    }
  }
}
