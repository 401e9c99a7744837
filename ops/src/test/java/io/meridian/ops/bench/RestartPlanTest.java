package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartPlanTest {

  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration MINUTE = Duration.ofSeconds(60);
  private static final Duration SPAN = Duration.ofHours(2);
  private static final Duration DELAY = Duration.ofMinutes(10);

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void theHeadsStartAtTheOldestWindowNotYetDueForSealing() {
    // At 10:05 the 08:00 window is due at 10:10: still a head. At 10:15 it is sealed.
    assertThat(RestartPlan.of(at("2026-11-26T10:05:00Z"), WEEK, MINUTE, SPAN, DELAY).headStartMs())
        .isEqualTo(at("2026-11-26T08:00:00Z"));
    assertThat(RestartPlan.of(at("2026-11-26T10:15:00Z"), WEEK, MINUTE, SPAN, DELAY).headStartMs())
        .isEqualTo(at("2026-11-26T10:00:00Z"));
    assertThat(RestartPlan.of(at("2026-11-26T10:10:00Z"), WEEK, MINUTE, SPAN, DELAY).headStartMs())
        .isEqualTo(at("2026-11-26T10:00:00Z"));
  }

  @Test
  void theDataReachesBackTheSpanInWholeRounds() {
    long now = at("2026-11-26T10:05:00Z");
    RestartPlan plan = RestartPlan.of(now, WEEK, MINUTE, SPAN, DELAY);
    assertThat(plan.originMs()).isBetween(now - WEEK.toMillis() - 60_000, now - WEEK.toMillis());
    assertThat(plan.originMs() + plan.headRound() * 60_000)
        .isEqualTo(plan.headStartMs() + RestartPlan.JITTER_BOUND_MS);
    assertThat(plan.firstFillRound()).isEqualTo(1);
    assertThat(plan.tailRound()).isEqualTo(plan.fillEndRound()).isEqualTo(plan.headRound() - 2);
  }

  @Test
  void roundsSplitAtTheHeadsWhateverTheHostsPhases() {
    long now = at("2026-11-26T10:37:12.345Z");
    for (Duration interval :
        new Duration[] {MINUTE, Duration.ofSeconds(15), Duration.ofMinutes(2)}) {
      RestartPlan plan = RestartPlan.of(now, Duration.ofDays(1), interval, SPAN, DELAY);
      // 400 hosts: phases all over the interval.
      NodeExporterSeries generated =
          new NodeExporterSeries(4000, 10, plan.originMs(), interval.toMillis(), 1);
      for (int i = 0; i < generated.size(); i += 10) {
        long lastFilled = generated.timestamp(i, plan.fillEndRound() - 1);
        long tail = generated.timestamp(i, plan.tailRound());
        long head = generated.timestamp(i, plan.headRound());
        assertThat(lastFilled).isLessThan(tail);
        // The tail's first round is in the window before the heads, which the node seals at once.
        assertThat(tail).isBetween(plan.tailWindowStartMs(), plan.headStartMs() - 1);
        assertThat(head).isGreaterThanOrEqualTo(plan.headStartMs());
        assertThat(generated.timestamp(i, 0)).isLessThan(generated.timestamp(i, 1));
      }
      long end = plan.endRound(now);
      assertThat(end).isGreaterThan(plan.headRound());
      for (int i = 0; i < generated.size(); i += 10) {
        long last = generated.timestamp(i, end - 1);
        assertThat(last).isLessThanOrEqualTo(now);
        // An instant query at lastRoundTimeMs sees every series' last sample (5 m lookback).
        assertThat(plan.lastRoundTimeMs(end) - last)
            .isBetween(0L, Duration.ofMinutes(5).toMillis() - 1);
      }
      assertThat(generated.timestamp(0, end)).isGreaterThan(now - interval.toMillis() - 20);
    }
  }

  @Test
  void fillRowsAreOnePerSeriesAndWindowWithFillRounds() {
    long now = at("2026-11-26T01:03:00Z");
    RestartPlan plan = RestartPlan.of(now, Duration.ofDays(2), Duration.ofMinutes(4), SPAN, DELAY);
    NodeExporterSeries generated = new NodeExporterSeries(300, 7, plan.originMs(), 240_000, 3);
    Set<String> windows = new HashSet<>();
    for (int i = 0; i < generated.size(); i++) {
      for (long r = plan.firstFillRound(); r < plan.fillEndRound(); r++) {
        windows.add(i + "/" + plan.windowOf(generated.timestamp(i, r)));
      }
    }
    assertThat(plan.fillRows(generated)).isEqualTo(windows.size());
    // 2 days of 2 h windows, give or take the partial first and last ones.
    assertThat(windows.size() / 300).isBetween(23, 25);
  }

  @Test
  void ttlsAreTheNodesUntilRetentionEndsRoundedUpToTheHour() {
    long now = at("2026-11-26T10:00:00Z");
    long fifteenDays = Duration.ofDays(15).toMillis();
    assertThat(RestartPlan.ttlSeconds(now - Duration.ofDays(1).toMillis(), now, fifteenDays))
        .isEqualTo(14 * 86_400);
    assertThat(RestartPlan.ttlSeconds(now - Duration.ofDays(1).toMillis() + 1000, now, fifteenDays))
        .isEqualTo(14 * 86_400 + 3600);
    assertThat(RestartPlan.ttlSeconds(now - fifteenDays - 5000, now, fifteenDays)).isEqualTo(3600);
    assertThat(RestartPlan.ttlSeconds(now, now, 0)).isZero();
  }

  @Test
  void refusesLayoutsTheNodeWouldNotSealAlike() {
    long now = at("2026-11-26T10:00:00Z");
    assertThatThrownBy(() -> RestartPlan.of(now, WEEK, Duration.ofMinutes(31), SPAN, DELAY))
        .hasMessageContaining("4 to 4096 intervals");
    assertThatThrownBy(() -> RestartPlan.of(now, WEEK, MINUTE, Duration.ofMinutes(7), DELAY))
        .hasMessageContaining("divide a day");
    assertThatThrownBy(() -> RestartPlan.of(now, Duration.ofMinutes(2), MINUTE, SPAN, DELAY))
        .hasMessageContaining("at least 4 intervals");
  }

  @Test
  void aSetupSurvivesItsFile(@TempDir Path dir) throws Exception {
    RestartPlan plan = RestartPlan.of(at("2026-11-26T10:05:00Z"), WEEK, MINUTE, SPAN, DELAY);
    RestartBenchmark.Setup setup =
        new RestartBenchmark.Setup(
            100_000,
            500,
            42,
            "default",
            64,
            SPAN,
            DELAY,
            Duration.ofSeconds(10),
            Duration.ofDays(15),
            plan,
            plan.endRound(at("2026-11-26T10:05:00Z")));
    Path file = dir.resolve(RestartBenchmark.SETUP_FILE);
    setup.store(file);
    assertThat(RestartBenchmark.Setup.load(file)).isEqualTo(setup);
    assertThat(setup.nodeSettings())
        .containsEntry("meridian.series.chunk-span", "2h")
        .containsEntry("meridian.series.seal-delay", "10m")
        .containsEntry("meridian.series.seal-interval", "10s")
        .containsEntry("meridian.series.retention.default", "15d")
        .containsEntry("meridian.series.groups", "64");
  }

  @Test
  void aPlanSurvivesItsProperties() {
    RestartPlan plan = RestartPlan.of(at("2026-11-26T10:05:00Z"), WEEK, MINUTE, SPAN, DELAY);
    Properties properties = new Properties();
    plan.store(properties);
    assertThat(RestartPlan.load(properties)).isEqualTo(plan);
  }
}
