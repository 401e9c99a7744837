package io.meridian.node.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lookups from remembered positions agree with a plain search, whatever order they come in. */
class LoadedSeriesTest {

  private static int expectedLast(long[] timestamps, long time) {
    int found = -1;
    for (int i = 0; i < timestamps.length; i++) {
      if (timestamps[i] <= time) {
        found = i;
      }
    }
    return found;
  }

  @Test
  void lookupsInAnyOrderMatchALinearScan() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      int n = random.nextInt(60);
      long[] timestamps = new long[n];
      long t = random.nextInt(100);
      for (int i = 0; i < n; i++) {
        t += 1 + random.nextInt(30);
        timestamps[i] = t;
      }
      LoadedSeries series = new LoadedSeries(Labels.empty(), timestamps, new double[n]);
      for (int lookup = 0; lookup < 100; lookup++) {
        // Mostly forward in small steps, as a range query goes, with jumps both ways.
        long time =
            random.nextInt(5) == 0
                ? random.nextInt((int) t + 200) - 100
                : (lookup * (t + 50) / 100) - random.nextInt(40);
        int last = expectedLast(timestamps, time);
        assertThat(series.lastAtOrBefore(time))
            .as("last at or before %d in %s", time, Arrays.toString(timestamps))
            .isEqualTo(last);
        assertThat(series.firstAtOrAfter(time))
            .as("first at or after %d", time)
            .isEqualTo(expectedLast(timestamps, time - 1) + 1);
      }
    }
  }
}
