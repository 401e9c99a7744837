package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.Test;

class HttpApiBoundCheckTest {

  @Test
  void notReadyUntilTheApiOfItsOwnSystemIsBound() throws Exception {
    ActorSystem system =
        ActorSystem.create("check", ConfigFactory.parseString("pekko.actor.provider = local"));
    ActorSystem other =
        ActorSystem.create("other", ConfigFactory.parseString("pekko.actor.provider = local"));
    try {
      HttpApiBoundCheck check = new HttpApiBoundCheck(system);
      assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS)).isFalse();
      HttpApiBoundCheck.markBound(other);
      assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS)).isFalse();
      HttpApiBoundCheck.markBound(system);
      assertThat(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(new HttpApiBoundCheck(system).get().toCompletableFuture().get()).isTrue();
    } finally {
      system.terminate();
      other.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      other.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
