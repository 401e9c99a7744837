package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

class NotShuttingDownCheckTest {

  @Test
  void readyUntilCoordinatedShutdownBegins() throws Exception {
    ActorSystem system =
        ActorSystem.create("check", ConfigFactory.parseString("pekko.actor.provider = local"));
    NotShuttingDownCheck check = new NotShuttingDownCheck(system);
    assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();

    CoordinatedShutdown.get(system)
        .runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS)).isFalse();
  }
}
