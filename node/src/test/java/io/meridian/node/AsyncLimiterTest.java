package io.meridian.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {

  @Test
  void runsAtMostMaxTasksAtOnceAndTheRestInArrivalOrder() {
    AsyncLimiter limiter = new AsyncLimiter(2);
    List<CompletableFuture<Integer>> tasks = new ArrayList<>();
    List<Integer> started = new ArrayList<>();
    List<CompletionStage<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      CompletableFuture<Integer> task = new CompletableFuture<>();
      tasks.add(task);
      results.add(
          limiter.submit(
              () -> {
                started.add(n);
                return task;
              }));
    }

    assertThat(started).containsExactly(0, 1);
    tasks.get(1).complete(1);
    assertThat(started).containsExactly(0, 1, 2);
    tasks.get(0).completeExceptionally(new IllegalStateException("boom"));
    assertThat(started).containsExactly(0, 1, 2, 3);
    tasks.get(2).complete(2);
    tasks.get(3).complete(3);
    tasks.get(4).complete(4);

    assertThat(started).containsExactly(0, 1, 2, 3, 4);
    assertThat(results.get(0).toCompletableFuture()).isCompletedExceptionally();
    assertThat(results.get(4).toCompletableFuture().join()).isEqualTo(4);
    assertThat(limiter.running()).isZero();
  }

  @Test
  void aTaskThatThrowsFailsItsResultAndFreesItsPlace() {
    AsyncLimiter limiter = new AsyncLimiter(1);

    CompletionStage<Integer> failed =
        limiter.submit(
            () -> {
              throw new IllegalStateException("no");
            });
    CompletionStage<Integer> next = limiter.submit(() -> CompletableFuture.completedFuture(7));

    assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
    assertThat(next.toCompletableFuture().join()).isEqualTo(7);
    assertThat(limiter.running()).isZero();
  }
}
