package io.meridian.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PreparedTest {

  @Test
  void makesTheValueOnceAndKeepsIt() {
    AtomicInteger made = new AtomicInteger();
    Prepared<String> prepared =
        new Prepared<>(() -> CompletableFuture.completedFuture("v" + made.incrementAndGet()));

    assertThat(prepared.get().toCompletableFuture().join()).isEqualTo("v1");
    assertThat(prepared.get().toCompletableFuture().join()).isEqualTo("v1");
    assertThat(made).hasValue(1);
  }

  @Test
  void triesAgainAfterAFailure() {
    AtomicInteger made = new AtomicInteger();
    Prepared<String> prepared =
        new Prepared<>(
            () ->
                made.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IllegalStateException("schema timeout"))
                    : CompletableFuture.completedFuture("v" + made.get()));

    assertThatThrownBy(() -> prepared.get().toCompletableFuture().join())
        .hasRootCauseMessage("schema timeout");
    assertThat(prepared.get().toCompletableFuture().join()).isEqualTo("v2");
    assertThat(prepared.get().toCompletableFuture().join()).isEqualTo("v2");
    assertThat(made).hasValue(2);
  }

  @Test
  void aThrowingMakerFailsThatUseOnly() {
    AtomicInteger made = new AtomicInteger();
    Prepared<String> prepared =
        new Prepared<>(
            () -> {
              if (made.incrementAndGet() == 1) {
                throw new IllegalStateException("no session");
              }
              return CompletableFuture.completedFuture("v2");
            });

    assertThatThrownBy(() -> prepared.get().toCompletableFuture().join())
        .hasRootCauseMessage("no session");
    assertThat(prepared.get().toCompletableFuture().join()).isEqualTo("v2");
  }
}
