package io.meridian.node.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class PartLimiterTest {

  @Test
  void runsAtMostMaxAtOnceAndTheRestInArrivalOrder() {
    PartLimiter limiter = new PartLimiter(2);
    List<CompletableFuture<Integer>> requests = new ArrayList<>();
    List<Integer> started = new ArrayList<>();
    List<CompletionStage<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      CompletableFuture<Integer> request = new CompletableFuture<>();
      requests.add(request);
      results.add(
          limiter.submit(
              () -> {
                started.add(id);
                return request;
              }));
    }
    assertThat(started).containsExactly(0, 1);
    assertThat(limiter.waiting()).isEqualTo(3);

    requests.get(1).complete(1);
    assertThat(started).containsExactly(0, 1, 2);
    requests.get(0).completeExceptionally(new IllegalStateException("timeout"));
    assertThat(started).containsExactly(0, 1, 2, 3);
    assertThat(limiter.running()).isEqualTo(2);

    requests.get(2).complete(2);
    requests.get(3).complete(3);
    requests.get(4).complete(4);
    assertThat(limiter.running()).isZero();
    assertThat(results.get(1).toCompletableFuture().join()).isEqualTo(1);
    assertThat(results.get(4).toCompletableFuture().join()).isEqualTo(4);
    assertThatThrownBy(() -> results.get(0).toCompletableFuture().join())
        .hasRootCauseMessage("timeout");
  }

  @Test
  void aRequestThatThrowsFailsAndFreesItsPlace() {
    PartLimiter limiter = new PartLimiter(1);

    CompletionStage<Object> failed =
        limiter.submit(
            () -> {
              throw new IllegalStateException("no session");
            });

    assertThatThrownBy(() -> failed.toCompletableFuture().join()).hasRootCauseMessage("no session");
    assertThat(limiter.running()).isZero();
    assertThat(limiter.submit(() -> CompletableFuture.completedFuture(7)).toCompletableFuture())
        .isCompletedWithValue(7);
  }
}
