package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class AppendCommandsTest {

  /** The commands' series, as the group receives them. */
  private static List<List<SeriesSamples>> split(List<SeriesSamples> part, long maxBytes) {
    return AppendCommands.splitSized(part, maxBytes).stream()
        .map(AppendCommands.Command::series)
        .toList();
  }

  private static SeriesSamples series(String host, int samples) {
    TreeMap<String, String> tags = new TreeMap<>();
    tags.put("host", host);
    long[] timestamps = LongStream.range(0, samples).map(i -> 1_000 * i).toArray();
    double[] values = LongStream.range(0, samples).asDoubleStream().toArray();
    return new SeriesSamples(new SeriesKey("t", "m", tags), timestamps, values);
  }

  private static long estimate(List<SeriesSamples> command) {
    return command.stream()
        .mapToLong(s -> AppendCommands.keyBytes(s) + (long) s.size() * AppendCommands.SAMPLE_BYTES)
        .sum();
  }

  @Test
  void aSmallPartStaysOneCommand() {
    List<SeriesSamples> part = List.of(series("a", 10), series("b", 20));

    assertThat(split(part, 256 * 1024)).containsExactly(part);
  }

  @Test
  void aLargeSeriesIsCutIntoBoundedCommandsKeepingEverySampleInOrder() {
    SeriesSamples big = series("big", 100_000);

    List<List<SeriesSamples>> commands = split(List.of(big), 256 * 1024);

    assertThat(commands).hasSizeGreaterThan(1);
    commands.forEach(command -> assertThat(estimate(command)).isLessThanOrEqualTo(256 * 1024));
    List<Long> timestamps = new ArrayList<>();
    commands.forEach(
        command ->
            command.forEach(
                s -> {
                  assertThat(s.key()).isEqualTo(big.key());
                  for (long t : s.timestamps()) {
                    timestamps.add(t);
                  }
                }));
    assertThat(timestamps).hasSize(100_000).isSorted();
  }

  @Test
  void manySmallSeriesAreGroupedUpToTheBound() {
    List<SeriesSamples> part = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      part.add(series("host-" + i, 3));
    }

    List<List<SeriesSamples>> commands = split(part, 16 * 1024);

    assertThat(commands).hasSizeGreaterThan(1);
    commands.forEach(command -> assertThat(estimate(command)).isLessThanOrEqualTo(16 * 1024));
    assertThat(commands.stream().mapToInt(List::size).sum()).isEqualTo(5_000);
  }

  @Test
  void aCommandTakesAtLeastOneSampleWhateverItsKey() {
    SeriesSamples huge = series("x".repeat(2_000), 3);

    List<List<SeriesSamples>> commands = split(List.of(huge), 1024);

    assertThat(commands).hasSize(3);
  }
}
