package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkWindowsTest {

  private static final long HOUR = 3_600_000L;
  private static final long MINUTE = 60_000L;

  /** 1,000 series on two hosts, scraped every 15 s from an hour boundary (plus hosts' phases). */
  private final NodeExporterSeries generated =
      new NodeExporterSeries(1000, 500, 100 * HOUR, 15_000, 7);

  /** Windows whose writes all happened at the epoch, with no seal-idle: sealed by time alone. */
  private ChunkWindows byTimeAlone(Duration span, Duration sealDelay) {
    return new ChunkWindows(generated, span, sealDelay, Duration.ZERO, () -> 0L);
  }

  @Test
  void aWindowStillWrittenIsSealedWhenALaterOneIsWrittenOrSealIdleAfterItsLastWrite() {
    long[] now = {500 * HOUR};
    ChunkWindows windows =
        new ChunkWindows(
            generated,
            Duration.ofHours(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(1),
            () -> now[0]);
    int[] all = IntStream.range(0, 1000).toArray();
    // Timestamps of hour 100 on, written at hour 500 of the clock: their windows are long due by
    // time, yet each stays open while it is written.
    long first = Math.floorDiv(generated.timestamp(0, 0), 2 * HOUR);
    long rounds = 3 * HOUR / 15_000;
    long lastWindow = first;
    for (long round = 0; round < rounds; round++) {
      now[0] += 100;
      windows.add(all, round, 1);
      lastWindow = Math.max(lastWindow, Math.floorDiv(generated.timestamp(0, round), 2 * HOUR));
    }
    long end = now[0];
    assertThat(lastWindow).isGreaterThan(first);
    // The first window was sealed once the next was first written, well before the end ...
    assertThat(windows.sealTime(first)).isLessThan(end).isGreaterThan(500 * HOUR);
    // ... the last one, still written at the end, one seal-idle after its last write.
    assertThat(windows.sealTime(lastWindow)).isEqualTo(end + MINUTE);
    assertThat(windows.sealedBy(end + MINUTE - 1)).isLessThan(windows.total());
    assertThat(windows.sealedBy(end + MINUTE)).isEqualTo(windows.total());
    assertThat(windows.nextSealAfter(end)).isEqualTo(end + MINUTE);
    // A window whose time is not up is sealed by time, however long ago its last write.
    ChunkWindows recent =
        new ChunkWindows(
            generated,
            Duration.ofHours(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(1),
            () -> 0L);
    recent.add(all, 0, 1);
    assertThat(recent.sealTime(first)).isEqualTo((first + 1) * 2 * HOUR + 10 * MINUTE);
  }

  @Test
  void countsEverySampleByTheTwoHourWindowItsTimestampFallsIn() {
    ChunkWindows windows = byTimeAlone(Duration.ofHours(2), Duration.ofMinutes(10));
    int[] all = IntStream.range(0, 1000).toArray();
    // 5 h of scrapes in requests of 3 rounds, as a backfill sends them.
    long rounds = 5 * HOUR / 15_000;
    for (long round = 0; round < rounds; round += 3) {
      windows.add(all, round, (int) Math.min(3, rounds - round));
    }
    assertThat(windows.total()).isEqualTo(1000 * rounds);

    // Each sample's window and seal time, one by one.
    long sealedAt2h10 = 0;
    long sealedAt4h10 = 0;
    for (int index = 0; index < 1000; index++) {
      for (long round = 0; round < rounds; round++) {
        long sealTime =
            (Math.floorDiv(generated.timestamp(index, round), 2 * HOUR) + 1) * 2 * HOUR
                + 10 * MINUTE;
        sealedAt2h10 += sealTime <= 102 * HOUR + 10 * MINUTE ? 1 : 0;
        sealedAt4h10 += sealTime <= 104 * HOUR + 10 * MINUTE ? 1 : 0;
      }
    }
    // Hour 100 starts an even window [100 h, 102 h): about its 2 h of scrapes are sealed 10 min
    // after it (hosts' phases and jitter move a few across the edges).
    assertThat(sealedAt2h10).isBetween(480_000L - 1000, 480_000L + 1000);
    assertThat(windows.sealedBy(102 * HOUR + 10 * MINUTE)).isEqualTo(sealedAt2h10);
    assertThat(windows.sealedBy(102 * HOUR + 10 * MINUTE - 1)).isLessThan(1000);
    assertThat(windows.sealedBy(104 * HOUR + 10 * MINUTE)).isEqualTo(sealedAt4h10);
    assertThat(windows.sealedBy(Long.MAX_VALUE)).isEqualTo(windows.total());
  }

  @Test
  void theNextSealIsTheEarliestDueWindowAfterAGivenTime() {
    ChunkWindows windows = byTimeAlone(Duration.ofMinutes(1), Duration.ofSeconds(5));
    assertThat(windows.nextSealAfter(0)).isEqualTo(Long.MAX_VALUE);
    // Rounds 0-7 (2 min) of series 0-9: windows of minutes 6000 and 6001, maybe 6002 by phase.
    windows.add(IntStream.range(0, 10).toArray(), 0, 8);
    long first = Math.floorDiv(generated.timestamp(0, 0), MINUTE);
    assertThat(windows.nextSealAfter(0)).isEqualTo((first + 1) * MINUTE + 5_000);
    assertThat(windows.nextSealAfter((first + 1) * MINUTE + 5_000))
        .isEqualTo((first + 2) * MINUTE + 5_000);
    assertThat(windows.sealTime(first)).isEqualTo((first + 1) * MINUTE + 5_000);
    long last = Math.floorDiv(generated.timestamp(0, 7), MINUTE);
    assertThat(windows.nextSealAfter(windows.sealTime(last))).isEqualTo(Long.MAX_VALUE);
    assertThat(windows.sealedBy(windows.sealTime(last))).isEqualTo(80);
  }

  @Test
  void requestsCountedConcurrentlyAddUp() throws InterruptedException {
    ChunkWindows windows = byTimeAlone(Duration.ofMinutes(1), Duration.ofSeconds(1));
    Thread[] senders = new Thread[4];
    for (int t = 0; t < senders.length; t++) {
      int[] own = IntStream.range(t * 250, t * 250 + 250).toArray();
      senders[t] =
          new Thread(
              () -> {
                for (long round = 0; round < 200; round++) {
                  windows.add(own, round, 1);
                }
              });
      senders[t].start();
    }
    for (Thread sender : senders) {
      sender.join();
    }
    assertThat(windows.total()).isEqualTo(1000 * 200);
    assertThat(windows.sealedBy(Long.MAX_VALUE)).isEqualTo(1000 * 200);
  }
}
